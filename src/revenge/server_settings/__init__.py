"""server settings feature."""
