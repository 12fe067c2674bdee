"""API models of the images feature."""

from __future__ import annotations

import uuid

from pydantic import BaseModel


class ImageInfo(BaseModel):
    id: uuid.UUID
    format: str
    width: int
    height: int
    size_bytes: int
    blurhash: str | None
    dominant_color: str | None


class ItemImageOut(BaseModel):
    """An item's image of one kind, enough for a client to draw a placeholder first."""

    id: uuid.UUID
    kind: str
    blurhash: str | None
    dominant_color: str | None
    width: int
    height: int
