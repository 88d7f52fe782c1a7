"""Exports of the record in outside formats (Popolo JSON)."""
