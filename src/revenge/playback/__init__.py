"""playback feature."""
