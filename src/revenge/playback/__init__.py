"""Playback: decisions, HLS sessions, transcoding, audio conversion, signed media URLs."""
