"""Music artists, albums and tracks."""
