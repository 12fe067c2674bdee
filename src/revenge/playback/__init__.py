"""Playback: decisions, HLS sessions, transcoding, signed media URLs."""
