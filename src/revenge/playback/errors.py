"""Playback's own problems."""

from __future__ import annotations

from revenge.errors import AppError


class MediaUnplayable(AppError):
    """The file could not be decoded or cut (corrupt, truncated, a codec nothing decodes)."""

    status = 422
    title = "Media cannot be played"
    slug = "media-unplayable"


class SessionEnded(AppError):
    """The playback session ended (idle, stopped by an administrator, replaced)."""

    status = 410
    title = "Playback session ended"
    slug = "playback-ended"
