"""images feature."""
