"""Analysis: pure functions and read-only queries over the store."""
