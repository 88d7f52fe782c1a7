"""cajd: the open platform for the "Central Asia plus Japan" Dialogue."""

__version__ = "0.1.0"
