"""Accounts, roles, sessions and API tokens: who is acting (``cajd.workflow`` decides what they
may do)."""
