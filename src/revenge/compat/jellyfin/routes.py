"""The Jellyfin-compatible router: importing the modules registers their routes on it."""

from __future__ import annotations

from revenge.compat.jellyfin import items, marks, media, system  # noqa: F401
from revenge.compat.jellyfin.common import router

__all__ = ["router"]
