"""cli feature."""
