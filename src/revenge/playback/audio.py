"""Audio for phones: a track, audiobook or podcast episode as it is, or converted on the fly.

Every protocol (this API, Subsonic's `stream`) calls `stream_item_audio(runtime, caller,
item_id, request)` or `stream_file_audio(runtime, caller, file_id, request)` and gets a ready
ASGI response (`signing.caller_from_principal` turns a signed-in principal into a caller).
The rules:

- `format=original` sends the file as it is (HTTP ranges work).
- No format: the file as it is when it fits `max_bitrate` (or none is asked), else opus.
- `opus` (Ogg), `aac` (ADTS) or `mp3`: converted at `max_bitrate` kbit/s (capped at what
  the encoder does; a default per format without one). An mp3 or Ogg Opus file already
  within the limit is sent as it is, as Subsonic servers do.
- `offset` (seconds) starts a converted stream there; a stream that starts mid-file cannot
  be the original file, so an offset always converts.

Conversions run in child processes (see `converter`), limited per server process by the
`transcoding.audio_max_concurrent` server setting.
"""

from __future__ import annotations

import math
import os
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from revenge.errors import BadRequest, NotFound
from revenge.identity import Principal
from revenge.libraries.access import allowed_library_ids
from revenge.playback import audio_repository as repo
from revenge.playback.audio_repository import AudioFile
from revenge.playback.audio_response import ConvertedAudioResponse
from revenge.playback.converter import AudioConverters, Job
from revenge.streaming.files import media_type
from revenge.streaming.open_files import kept_open
from revenge.streaming.response import OpenFileResponse
from revenge.streaming.service import open_to_send
from revenge.streaming.signing import MediaCaller

if TYPE_CHECKING:
    from revenge.runtime import Runtime

FORMATS = ("original", "opus", "aac", "mp3")
MEDIA_TYPES = {"opus": "audio/ogg", "aac": "audio/aac", "mp3": "audio/mpeg"}
DEFAULT_KBPS = {"opus": 128, "aac": 192, "mp3": 256}
ENCODER_MAX_KBPS = {"opus": 510, "aac": 512, "mp3": 320}
# Files whose own encoding is what was asked for (mutagen's names for them).
SAME_CODEC = {"opus": {"oggopus"}, "mp3": {"mp3"}}
MIN_KBPS = 8
MAX_KBPS = 10_000  # a "maximum" above this is a client bug, not a wish
MAX_OFFSET = 7 * 24 * 3600.0
LIMIT_SETTING = "transcoding.audio_max_concurrent"


@dataclass(frozen=True, slots=True)
class AudioRequest:
    """What the player asked for: a format (None: decide), kbit/s (None: any), seconds."""

    format: str | None = None
    max_kbps: int | None = None
    offset: float = 0.0

    @classmethod
    def parse(cls, fmt: str | None, max_bitrate: int | None, offset: float | None) -> AudioRequest:
        """Check the raw parameters; 400 naming the first that is wrong."""
        if fmt is not None and fmt.lower() not in FORMATS:
            raise BadRequest(f"Unsupported format {fmt!r}; use one of {', '.join(FORMATS)}.")
        if max_bitrate is not None and (max_bitrate < 0 or max_bitrate > MAX_KBPS):
            raise BadRequest(f"max_bitrate is in kbit/s: 0 (no limit) to {MAX_KBPS}.")
        if max_bitrate is not None and 0 < max_bitrate < MIN_KBPS:
            raise BadRequest(f"max_bitrate below {MIN_KBPS} kbit/s cannot carry audio.")
        if offset is not None and not (math.isfinite(offset) and 0 <= offset <= MAX_OFFSET):
            raise BadRequest("offset is in seconds from the start, 0 or more.")
        return cls(fmt.lower() if fmt else None, max_bitrate or None, offset or 0.0)


@dataclass(frozen=True, slots=True)
class AudioPlan:
    """`format` None: the file as it is; else converted to it at `kbps`."""

    format: str | None
    kbps: int = 0


def plan(source: AudioFile, request: AudioRequest) -> AudioPlan:
    """Whether to send the file as it is or convert it, and to what."""
    fits = request.max_kbps is None or (
        source.bit_rate is not None and source.bit_rate <= request.max_kbps * 1000
    )
    fmt = request.format
    if fmt == "original":
        if request.offset:
            raise BadRequest("An offset needs a converted format (opus, aac or mp3).")
        return AudioPlan(None)
    already = fmt is None or (source.container or "") in SAME_CODEC.get(fmt, set())
    if not request.offset and fits and already:
        return AudioPlan(None)
    fmt = fmt or "opus"
    kbps = min(request.max_kbps or DEFAULT_KBPS[fmt], ENCODER_MAX_KBPS[fmt])
    return AudioPlan(fmt, kbps)


def as_principal(caller: MediaCaller) -> Principal:
    """The library rule speaks of principals; a token's caller has the same two facts."""
    return Principal(caller.user_id, "", "admin" if caller.is_admin else "user")


async def _visible(
    session: AsyncSession, caller: MediaCaller, files: list[AudioFile]
) -> list[AudioFile]:
    allowed = await allowed_library_ids(session, as_principal(caller))
    return [f for f in files if allowed is None or f.library_id in allowed]


async def find_item_audio(
    session: AsyncSession, caller: MediaCaller, item_id: uuid.UUID, file_id: uuid.UUID | None
) -> AudioFile:
    """The item's first audio file (or the one named); 404 unless the caller may see it."""
    files = await _visible(session, caller, await repo.audio_files(session, item_id))
    if file_id is not None:
        files = [f for f in files if f.id == file_id]
    if not files:
        raise NotFound(f"No playable audio for item {item_id}.")
    return files[0]


async def find_file_audio(
    session: AsyncSession, caller: MediaCaller, file_id: uuid.UUID
) -> AudioFile:
    """One audio file; 404 unless it exists and the caller may see it."""
    found = await repo.audio_file(session, file_id)
    files = await _visible(session, caller, [found] if found else [])
    if not files:
        raise NotFound(f"No audio file {file_id}.")
    return files[0]


def converters(runtime: Runtime) -> AudioConverters:
    """This process's converters (their spare child is stopped with the runtime)."""
    found = runtime.audio_converters
    if found is None:
        found = runtime.audio_converters = AudioConverters()
        runtime.closers.append(found.close)
    return found


async def open_audio(runtime: Runtime, source: AudioFile, request: AudioRequest) -> Response:
    """The response that plays `source` as asked: the file itself or a running conversion."""
    if source.duration is not None and request.offset >= source.duration:
        raise BadRequest(f"offset {request.offset:g} s is past the end ({source.duration:g} s).")
    chosen = plan(source, request)
    if chosen.format is None:
        fd, st = open_to_send(kept_open(runtime), source.path, source.roots, source.id)
        name = os.path.basename(source.path)
        return OpenFileResponse(fd, st, media_type(name), name)
    limit = int(await runtime.server_settings.get(LIMIT_SETTING))
    job = Job(source.path, source.roots, chosen.format, chosen.kbps, request.offset)
    conversion = await converters(runtime).start(job, limit)
    remaining = None if source.duration is None else source.duration - request.offset
    return ConvertedAudioResponse(conversion, MEDIA_TYPES[chosen.format], remaining)


async def stream_item_audio(
    runtime: Runtime,
    caller: MediaCaller,
    item_id: uuid.UUID,
    request: AudioRequest,
    file_id: uuid.UUID | None = None,
) -> Response:
    """The item's audio as `request` asks; no database connection is held while it plays."""
    async with runtime.db.transaction() as session:
        source = await find_item_audio(session, caller, item_id, file_id)
    return await open_audio(runtime, source, request)


async def stream_file_audio(
    runtime: Runtime, caller: MediaCaller, file_id: uuid.UUID, request: AudioRequest
) -> Response:
    """One audio file as `request` asks."""
    async with runtime.db.transaction() as session:
        source = await find_file_audio(session, caller, file_id)
    return await open_audio(runtime, source, request)
