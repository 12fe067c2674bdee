"""sessions feature."""
