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
