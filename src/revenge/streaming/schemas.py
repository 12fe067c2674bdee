"""API payloads of streaming."""

from __future__ import annotations

from pydantic import BaseModel


class StreamTokenOut(BaseModel):
    token: str
    expires_at: int
    url: str


class SubtitleOut(BaseModel):
    name: str
    format: str
    language: str | None
    forced: bool
    sdh: bool
    url: str
