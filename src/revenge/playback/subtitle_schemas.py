"""API payloads of subtitle tracks."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field


class SubtitleTrackOut(BaseModel):
    id: str = Field(description="`e<n>`: stream n inside the file; `x<n>`: a file beside it.")
    media_file_id: uuid.UUID
    source: Literal["embedded", "external"]
    format: str = Field(description="srt, ass, ssa, vtt, pgs, vobsub, or the stream's codec.")
    language: str | None = Field(description="BCP 47 (`en`, `pt-BR`), when known.")
    title: str | None
    default: bool
    forced: bool
    sdh: bool = Field(description="For the deaf and hard of hearing.")
    convertible: bool = Field(description="False for bitmaps (PGS, VobSub): no WebVTT.")
    url: str | None = Field(description="The track as WebVTT, a signed URL; None if bitmap.")
