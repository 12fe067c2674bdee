"""streaming feature."""
