"""The read side: what the portal and the API show, as typed views over the store."""
