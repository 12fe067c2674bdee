"""system feature."""
