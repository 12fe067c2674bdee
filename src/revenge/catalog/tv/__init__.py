"""TV series, seasons and episodes."""
