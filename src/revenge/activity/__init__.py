"""activity feature."""
