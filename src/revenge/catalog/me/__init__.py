"""The caller's home rows: recently added, continue watching, next up."""
