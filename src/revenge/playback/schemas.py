"""API payloads of playback."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from revenge.playback.profiles import Capabilities, ProfileName
from revenge.playback.subtitle_schemas import SubtitleTrackOut


class PlaybackRequest(BaseModel):
    """A named profile, or the client's own capabilities (which win when both are sent)."""

    profile: ProfileName | None = None
    capabilities: Capabilities | None = None
    file_id: uuid.UUID | None = Field(None, description="The version to play; default the first.")
    audio_stream: int | None = Field(None, ge=0, le=1000, description="Audio stream index.")
    subtitle_track: str | None = Field(
        None, pattern=r"^[ex][0-9]{1,4}$", description="A subtitle track id (`e2`, `x0`)."
    )
    client_name: str | None = Field(None, max_length=200)


class StreamTrackOut(BaseModel):
    """An audio stream of a media file."""

    index: int
    codec: str | None
    language: str | None
    title: str | None
    channels: int | None = None
    is_default: bool
    is_forced: bool


class VariantOut(BaseModel):
    name: str
    video: str
    width: int
    height: int
    bitrate: int


class FileDecisionOut(BaseModel):
    file_id: uuid.UUID
    version: str | None
    method: Literal["direct", "remux", "transcode", "none"]
    reasons: list[str]
    container: str
    duration_seconds: float | None
    video_codec: str | None
    audio: StreamTrackOut | None
    audio_tracks: list[StreamTrackOut]
    subtitle: SubtitleTrackOut | None = Field(
        None, description="The track to show: the one asked for, else a forced one."
    )
    subtitle_tracks: list[SubtitleTrackOut]
    variants: list[VariantOut]
    url: str | None = Field(None, description="Signed: the file, or the HLS master playlist.")
    playback_session_id: uuid.UUID | None = None
    selected: bool


class ArtworkOut(BaseModel):
    kind: str = Field(description="poster, backdrop, thumb, ...")
    url: str = Field(description="Signed: works in an `<img>` without headers.")


class PlaybackDecisionOut(BaseModel):
    item_id: uuid.UUID
    expires_at: int = Field(description="When the signed URLs stop working (unix seconds).")
    files: list[FileDecisionOut]
    images: list[ArtworkOut]


class PlaybackSessionOut(BaseModel):
    id: uuid.UUID
    user_id: uuid.UUID
    username: str
    media_file_id: uuid.UUID
    path: str
    item_kind: str | None
    item_id: uuid.UUID | None
    method: str
    client_name: str | None
    position_seconds: float
    paused: bool
    speed: float | None
    created_at: datetime
    last_seen_at: datetime
