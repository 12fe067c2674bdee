"""maintenance feature."""
