"""libraries feature."""
