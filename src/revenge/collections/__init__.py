"""collections feature."""
