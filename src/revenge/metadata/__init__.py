"""metadata feature."""
