"""search feature."""
