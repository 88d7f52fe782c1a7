"""Discourse analysis of outcome-document texts: references to actors, counted by rule."""
