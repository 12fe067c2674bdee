"""Audiobooks."""
