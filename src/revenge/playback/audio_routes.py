"""`GET /api/v1/items/{item_id}/audio`: a track, audiobook or podcast episode for a player."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from revenge.api.deps import CurrentUser, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.playback import audio
from revenge.playback.audio import FORMATS, MAX_KBPS, AudioRequest

router = APIRouter(prefix="/api/v1/items", tags=["playback"])

_BINARY = {"schema": {"type": "string", "format": "binary"}}
_MEDIA = ("audio/ogg", "audio/aac", "audio/mpeg", "audio/*", "application/octet-stream")
AUDIO_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The audio: the file itself or a stream converted as it plays.",
        "content": {m: _BINARY for m in _MEDIA},
    },
    206: {
        "description": "A byte range of the file itself.",
        "content": {m: _BINARY for m in _MEDIA},
    },
    304: {"description": "The file itself is unchanged since the ETag in `If-None-Match`."},
    416: {"description": "The range lies outside the file; see `Content-Range`."},
    **problem_responses({
        400: "An unsupported format, or a bitrate or offset out of range.",
        404: "No such item, no audio file for it, or the file is gone.",
        503: "Every audio conversion slot is in use (see `Retry-After`), or conversion is off.",
    }),
}  # fmt: skip


@router.get("/{item_id}/audio", response_class=Response, responses=AUDIO_RESPONSES)
async def stream_audio(
    item_id: uuid.UUID,
    user: CurrentUser,
    runtime: RuntimeDep,
    fmt: Annotated[
        str | None,
        Query(alias="format", max_length=16, description=f"One of {', '.join(FORMATS)}."),
    ] = None,
    max_bitrate: Annotated[
        int | None,
        Query(description=f"Most kbit/s to send (as Subsonic's `maxBitRate`); 0 or none: no"
              f" limit; up to {MAX_KBPS}."),
    ] = None,
    offset: Annotated[
        float | None, Query(description="Start this many seconds into the audio (converts).")
    ] = None,
    file: Annotated[
        uuid.UUID | None, Query(description="Which of the item's files (default: the first).")
    ] = None,
) -> Response:  # fmt: skip
    """The item's audio, as it is or converted to opus, AAC or MP3 while it plays."""
    request = AudioRequest.parse(fmt, max_bitrate, offset)
    return await audio.stream_item_audio(runtime, user, item_id, request, file)
