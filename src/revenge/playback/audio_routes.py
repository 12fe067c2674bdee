"""`GET /api/v1/stream/{file_id}/audio`: a track, audiobook or podcast file for a player.

On the public route list: it takes header credentials or a signed media URL for the file
(`POST /api/v1/stream/{file_id}/token`), so an `<audio>` element can play it.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from revenge.api.deps import RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.playback import audio
from revenge.playback.audio import FORMATS, MAX_KBPS, MAX_OFFSET, MIN_KBPS, AudioRequest
from revenge.streaming.media import FileCaller

router = APIRouter(prefix="/api/v1/stream", tags=["playback"])

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
        401: "Neither credentials nor a valid media URL token were sent.",
        404: "No such audio file, or it may not be read.",
        410: "The file is catalogued but missing from its library folder.",
        503: "Every audio conversion slot is in use (see `Retry-After`), or conversion is off.",
    }),
}  # fmt: skip


@router.get("/{file_id}/audio", response_class=Response, responses=AUDIO_RESPONSES)
async def stream_audio(
    file_id: uuid.UUID,
    caller: FileCaller,
    runtime: RuntimeDep,
    fmt: Annotated[
        str | None,
        Query(alias="format", max_length=16, description=f"One of {', '.join(FORMATS)}.",
              json_schema_extra={"enum": list(FORMATS)}),
    ] = None,
    max_bitrate: Annotated[
        int | None,
        Query(description=f"Most kbit/s to send (as Subsonic's `maxBitRate`); 0 or none: no"
              f" limit; else {MIN_KBPS} to {MAX_KBPS}.",
              json_schema_extra={"anyOf": [
                  {"type": "integer", "const": 0},
                  {"type": "integer", "minimum": MIN_KBPS, "maximum": MAX_KBPS},
              ]}),
    ] = None,
    offset: Annotated[
        float | None,
        Query(description="Start this many seconds into the audio (converts).",
              json_schema_extra={"minimum": 0, "maximum": MAX_OFFSET}),
    ] = None,
) -> Response:  # fmt: skip
    """An audio file as it is, or converted to opus, AAC or MP3 while it plays.

    The limits are checked here rather than by validation: a wrong value is a 400 naming it.
    """
    request = AudioRequest.parse(fmt, max_bitrate, offset)
    return await audio.stream_file_audio(runtime, caller, file_id, request)
