"""Subtitle tracks of a video and each one as WebVTT.

A file's tracks are its embedded subtitle streams (`e<stream index>`) and the subtitle files
beside it found at scan time (`x<position>`), listed from the database alone: the playback
decision and the HLS master list them without touching the disk. Text tracks convert to
WebVTT; bitmap ones (PGS, VobSub) are listed with `convertible: false`.

Converting opens the source inside the library's roots, with every symlink resolved at that
moment (`streaming.files.open_confined`), and hands the open descriptor to a child process
(`subtitle_convert`) that parses it under a deadline. The result is cached for a day (in
Redis when there is one, and the latest few in process) under the source's identity (inode,
size, mtime), so an edited file is converted again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from cachetools import TTLCache
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.errors import BadRequest, NotFound
from revenge.libraries.access import allowed_library_ids
from revenge.playback import subtitle_repository as repo
from revenge.playback.audio import as_principal
from revenge.playback.converter import MediaUnreadable
from revenge.playback.subtitle_names import TEXT_FORMATS, SubtitleFacts, normalise_language
from revenge.playback.subtitle_repository import VideoFile as VideoFile
from revenge.streaming.files import open_confined
from revenge.streaming.signing import MediaCaller

if TYPE_CHECKING:
    from revenge.runtime import Runtime

# Decoders whose output is text (PyAV/FFmpeg names, as the probe stores them).
TEXT_CODECS = frozenset({"subrip", "srt", "ass", "ssa", "webvtt", "mov_text", "text",
                         "microdvd", "subviewer", "subviewer1", "sami", "realtext", "mpl2",
                         "pjs", "vplayer", "jacosub", "stl"})  # fmt: skip
_SDH_TITLE = re.compile(r"\b(sdh|cc|hearing[ -]impaired)\b", re.IGNORECASE)
_TRACK_ID = re.compile(r"^([ex])(\d{1,5})$")
CONVERT_TIMEOUT = 180.0  # an embedded track means reading the whole video once
MAX_VTT_BYTES = 16 * 1024 * 1024
CACHE_SECONDS = 24 * 3600
RECENT_DOCUMENTS = 64  # a few MB at most
_CONVERSIONS = 2  # at once per process; more wait their turn (subtitles are small)


@dataclass(frozen=True, slots=True)
class SubtitleTrack(SubtitleFacts):
    id: str
    media_file_id: uuid.UUID
    source: Literal["embedded", "external"]
    convertible: bool
    stream_index: int | None = None
    file_name: str | None = None


def vtt_path(file_id: uuid.UUID, track_id: str) -> str:
    """The URL path of one track as WebVTT (sign it with `signing.file_scope(file_id)`)."""
    return f"/api/v1/playback/subtitles/{file_id}/{track_id}.vtt"


def _embedded_track(row: Row[Any]) -> SubtitleTrack:
    codec = (row.codec or "unknown").lower()
    return SubtitleTrack(
        codec, normalise_language(row.language), row.title, row.is_default, row.is_forced,
        bool(row.title and _SDH_TITLE.search(row.title)), f"e{row.stream_index}",
        row.media_file_id, "embedded", codec in TEXT_CODECS, row.stream_index,
    )  # fmt: skip


def _external_track(row: Row[Any]) -> SubtitleTrack:
    return SubtitleTrack(
        row.format, row.language, row.title, row.is_default, row.is_forced, row.is_sdh,
        f"x{row.position}", row.media_file_id, "external", row.format in TEXT_FORMATS,
        file_name=row.file_name,
    )  # fmt: skip


async def tracks_of_files(
    session: AsyncSession, file_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[SubtitleTrack]]:
    """Every file's tracks, embedded ones first (no access check: the caller's job)."""
    ids = list(file_ids)
    found: dict[uuid.UUID, list[SubtitleTrack]] = {i: [] for i in ids}
    for row in await repo.embedded(session, ids):
        found[row.media_file_id].append(_embedded_track(row))
    for row in await repo.external(session, ids):
        found[row.media_file_id].append(_external_track(row))
    return found


async def _visible(session: AsyncSession, caller: MediaCaller, files: list[VideoFile]) -> bool:
    allowed = await allowed_library_ids(session, as_principal(caller))
    return all(allowed is None or f.library_id in allowed for f in files)


async def visible_video(
    session: AsyncSession, caller: MediaCaller, file_id: uuid.UUID
) -> VideoFile:
    """A video file the caller may see; 404 otherwise."""
    found = await repo.video_file(session, file_id)
    if found is None or not await _visible(session, caller, [found]):
        raise NotFound(f"No video file {file_id}.")
    return found


async def file_videos(
    session: AsyncSession, caller: MediaCaller, file_id: uuid.UUID
) -> list[VideoFile]:
    """`visible_video` as a list, the shape `item_videos` answers in."""
    return [await visible_video(session, caller, file_id)]


async def item_videos(
    session: AsyncSession, caller: MediaCaller, item_id: uuid.UUID
) -> list[VideoFile]:
    """The item's video files; 404 when there are none the caller may see."""
    files = await repo.item_videos(session, item_id)
    if not files or not await _visible(session, caller, files):
        raise NotFound(f"No video item {item_id}.")
    return files


async def find_track(session: AsyncSession, file_id: uuid.UUID, track_id: str) -> SubtitleTrack:
    if not _TRACK_ID.match(track_id):
        raise NotFound(f"No subtitle track {track_id!r}.")
    tracks = (await tracks_of_files(session, [file_id]))[file_id]
    track = next((t for t in tracks if t.id == track_id), None)
    if track is None:
        raise NotFound(f"No subtitle track {track_id!r}.")
    if not track.convertible:
        raise BadRequest(f"Track {track_id} is {track.format}: a bitmap cannot become WebVTT.")
    return track


def _open_source(video: VideoFile, track: SubtitleTrack) -> tuple[int, os.stat_result]:
    path = video.path
    if track.file_name is not None:
        path = os.path.join(os.path.dirname(video.path), track.file_name)
    opened = open_confined(path, video.roots)
    if opened is None:
        raise NotFound(f"The file of subtitle track {track.id} is not available.")
    return opened


async def webvtt(runtime: Runtime, video: VideoFile, track: SubtitleTrack) -> bytes:
    """The track as a WebVTT document (cached per version of its source)."""
    fd, st = _open_source(video, track)
    try:
        key = f"subtitles:vtt:{video.id}:{track.id}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"
        recent = _recent(runtime)
        if (cached := recent.get(key) or await runtime.cache.get(key)) is not None:
            recent[key] = cached
            return cached
        job = {"kind": track.source, "format": track.format, "index": track.stream_index}
        async with _slots(runtime):
            vtt = await _convert(fd, job)
    finally:
        os.close(fd)
    recent[key] = vtt
    await runtime.cache.set(key, vtt, CACHE_SECONDS)
    return vtt


def _recent(runtime: Runtime) -> TTLCache[str, bytes]:
    """Documents this process made lately: the shared cache keeps an in-process entry only
    seconds, and a track read from inside a large video is worth keeping longer."""
    found = runtime.subtitle_documents
    if found is None:
        found = runtime.subtitle_documents = TTLCache(RECENT_DOCUMENTS, CACHE_SECONDS)
    return found


def _slots(runtime: Runtime) -> asyncio.Semaphore:
    found = runtime.subtitle_slots
    if found is None:
        found = runtime.subtitle_slots = asyncio.Semaphore(_CONVERSIONS)
    return found


async def _convert(fd: int, job: dict[str, Any]) -> bytes:
    """Run the child on the open descriptor; its WebVTT, or 422 with its reason."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "revenge.playback.subtitle_convert",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, pass_fds=(fd,),
    )  # fmt: skip
    try:
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        proc.stdin.write(json.dumps({**job, "fd": fd}).encode() + b"\n")
        proc.stdin.close()
        out, err = await asyncio.wait_for(
            asyncio.gather(proc.stdout.read(MAX_VTT_BYTES + 1), proc.stderr.read(4096)),
            CONVERT_TIMEOUT,
        )
        if len(out) > MAX_VTT_BYTES:
            raise MediaUnreadable("The subtitles are too large to send.")
        code = await asyncio.wait_for(proc.wait(), CONVERT_TIMEOUT)
    except TimeoutError:
        raise MediaUnreadable("The subtitles took too long to read.") from None
    finally:
        if proc.returncode is None:
            proc.kill()
            with contextlib.suppress(ProcessLookupError):
                await proc.wait()
    if code != 0:
        reason = err.decode("utf-8", "replace").strip() or f"status {code}"
        raise MediaUnreadable(f"The subtitles cannot be read: {reason}")
    return out
