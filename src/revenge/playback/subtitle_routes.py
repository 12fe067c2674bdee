"""Subtitle tracks: listed per item or media file, each served as WebVTT.

The WebVTT route authenticates itself (headers, or the signed `token` of the listed URL,
issued for the media file) and is on the public route list, so a `<track>` element and an
HLS player can fetch it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.deps import CurrentUser, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.identity import Principal
from revenge.playback import subtitles
from revenge.playback.subtitle_schemas import SubtitleTrackOut
from revenge.playback.subtitles import VideoFile
from revenge.playback.tracks import track_out
from revenge.streaming.media import FileCaller
from revenge.streaming.signing import MediaCaller, caller_from_principal, playback_ttl

if TYPE_CHECKING:
    from revenge.runtime import Runtime

router = APIRouter(tags=["playback"])
VTT_TYPE = "text/vtt; charset=utf-8"
TrackId = Annotated[str, Path(max_length=8, description="A track id from the listing.")]

_LIST = problem_responses({404: "No such item or file, or not a video."})
_VTT: dict[int | str, dict[str, Any]] = {
    200: {"description": "The track as a WebVTT document.",
          "content": {"text/vtt": {"schema": {"type": "string"}}}},
    **problem_responses({
        400: "The track is a bitmap (PGS, VobSub): it has no WebVTT form.",
        401: "Neither credentials nor a valid signed URL were sent.",
        404: "No such file or track, or the subtitle file is gone or outside the library.",
        422: "The subtitles cannot be read (corrupt or not subtitles).",
    }),
}  # fmt: skip


# Finds the video files of an item or a file id that a caller may see (404 otherwise).
FindVideos = Callable[[AsyncSession, MediaCaller, uuid.UUID], Awaitable[list[VideoFile]]]


async def _listing(
    runtime: Runtime, user: Principal, find: FindVideos, some_id: uuid.UUID
) -> list[SubtitleTrackOut]:
    async with runtime.db.transaction() as session:
        files = await find(session, caller_from_principal(user), some_id)
    async with runtime.db.transaction() as session:
        by_file = await subtitles.tracks_of_files(session, [f.id for f in files])
    return [
        track_out(runtime, user, track, playback_ttl(video.duration))
        for video in files
        for track in by_file[video.id]
    ]


@router.get("/api/v1/items/{item_id}/subtitles", responses=_LIST)
async def item_subtitles(
    item_id: uuid.UUID, user: CurrentUser, runtime: RuntimeDep
) -> list[SubtitleTrackOut]:
    """Every subtitle track of every video file of a movie or episode."""
    return await _listing(runtime, user, subtitles.item_videos, item_id)


@router.get("/api/v1/playback/subtitles/{file_id}", responses=_LIST)
async def file_subtitles(
    file_id: uuid.UUID, user: CurrentUser, runtime: RuntimeDep
) -> list[SubtitleTrackOut]:
    """The subtitle tracks of one video file: embedded streams and files beside it."""
    return await _listing(runtime, user, subtitles.file_videos, file_id)


@router.get(
    "/api/v1/playback/subtitles/{file_id}/{track_id}.vtt",
    response_class=Response,
    responses=_VTT,
)
async def subtitle_vtt(
    file_id: uuid.UUID, track_id: TrackId, caller: FileCaller, runtime: RuntimeDep
) -> Response:
    """One subtitle track as WebVTT."""
    async with runtime.db.transaction() as session:
        video = await subtitles.visible_video(session, caller, file_id)
        track = await subtitles.find_track(session, file_id, track_id)
    body = await subtitles.webvtt(runtime, video, track)
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}
    return Response(body, media_type=VTT_TYPE, headers=headers)
