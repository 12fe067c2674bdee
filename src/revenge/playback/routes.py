"""Playback API: the decision, HLS playlists and segments, sessions for admins.

The HLS GET routes authenticate themselves (headers, or the signed `token` every URL in
the playlists carries) and are on the public route list. Any node answers any of them: the
session's plan is in PostgreSQL and segments are cut at boundaries fixed by the file.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, Response

from revenge.api.deps import AdminUser, CurrentUser, DbSession, RuntimeDep
from revenge.api.media import FileCaller
from revenge.api.openapi import problem_responses
from revenge.errors import BadRequest, NotFound
from revenge.playback import hls, service, tracks
from revenge.playback.errors import MediaUnplayable
from revenge.playback.node import playback_node
from revenge.playback.plan import Plan, Variant
from revenge.playback.producer import ProductionFailed
from revenge.playback.schemas import PlaybackDecisionOut, PlaybackRequest, PlaybackSessionOut
from revenge.playback.signing import MediaCaller
from revenge.playback.subtitles import SubtitleTrack, vtt_path
from revenge.runtime import Runtime

router = APIRouter(tags=["playback"])
HLS = "/api/v1/playback/hls/{file_id}/{session_id}"
TrackId = Annotated[str, Path(pattern=r"^[ex][0-9]{1,4}$")]
VariantName = Annotated[str, Path(pattern=r"^[a-z0-9]{1,16}$")]
# Checked by the route (400 for a negative or past-the-end number, as for any bad segment).
Segment = Annotated[int, Path(ge=-(10**9), le=10**9)]

_PLAYLIST = {
    200: {"description": "An HLS playlist.",
          "content": {hls.MASTER_TYPE: {"schema": {"type": "string"}}}},
    **problem_responses({401: "No credentials nor a valid signed URL.", 404: "No such session.",
                         410: "The session ended."}),
}  # fmt: skip
_SEGMENT = {
    200: {"description": "One MPEG-TS segment.",
          "content": {hls.SEGMENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
    **problem_responses({400: "No such segment.", 401: "No credentials nor a valid signed URL.",
                         404: "No such session.", 410: "The session ended.",
                         422: "The file could not be decoded."}),
}  # fmt: skip


@router.post(
    "/api/v1/items/{item_id}/playback",
    responses=problem_responses({
        400: "Nothing of this item can be played by this client.", 404: "No such item or version.",
        422: "The file could not be read.", 503: "Every transcoding slot is in use.",
    }),
)  # fmt: skip
async def playback_decision(
    item_id: uuid.UUID, body: PlaybackRequest, user: CurrentUser, runtime: RuntimeDep,
    session: DbSession,
) -> PlaybackDecisionOut:  # fmt: skip
    """How this client plays each version of the item, with signed, ready-to-use URLs."""
    try:
        return await service.decide_item(runtime, session, user, item_id, body)
    except ProductionFailed as exc:
        raise await _failed(runtime, body.file_id, user.user_id, str(exc)) from exc


async def _failed(
    runtime: Runtime, file_id: uuid.UUID | None, user_id: uuid.UUID, reason: str
) -> MediaUnplayable:
    """Record the failure on the file (own transaction: the request's rolls back) and answer."""
    if file_id is not None:
        async with runtime.db.transaction() as session:
            await service.record_playback_failure(runtime, session, file_id, user_id, reason)
    return MediaUnplayable(reason)


def _signed(request: Request) -> str:
    token = request.query_params.get("token")
    return f"?token={token}" if token else ""


async def _session(
    runtime: Runtime, caller: MediaCaller, file_id: uuid.UUID, session_id: uuid.UUID
) -> Any:
    async with runtime.db.transaction() as session:
        return await service.hls_session(session, caller, file_id, session_id)


def _variant(plan: Plan, name: str) -> Variant:
    chosen = plan.variant(name)
    if chosen is None:
        raise BadRequest(f"No variant {name!r} in this session.")
    return chosen


async def _subtitles(runtime: Runtime, file_id: uuid.UUID) -> list[SubtitleTrack]:
    async with runtime.db.transaction() as session:
        return await service.subtitle_tracks(session, file_id)


@router.get(HLS + "/master.m3u8", response_class=Response, responses=_PLAYLIST)
async def master_playlist(
    file_id: uuid.UUID, session_id: uuid.UUID, request: Request, caller: FileCaller,
    runtime: RuntimeDep,
) -> Response:  # fmt: skip
    """The ladder: the original when it may be copied, then 1080p / 720p / 480p."""
    _, plan = await _session(runtime, caller, file_id, session_id)
    token = _signed(request)
    subs = tracks.renditions(await _subtitles(runtime, file_id), lambda p: p + token)
    text = hls.master(plan, lambda p: p + token, subs)
    return Response(text, media_type=hls.MASTER_TYPE, headers={"Cache-Control": "no-store"})


@router.get(HLS + "/subs/{track_id}.m3u8", response_class=Response, responses=_PLAYLIST)
async def subtitle_playlist(
    file_id: uuid.UUID, session_id: uuid.UUID, track_id: TrackId, request: Request,
    caller: FileCaller, runtime: RuntimeDep,
) -> Response:  # fmt: skip
    """One subtitle rendition: a single WebVTT segment spanning the running time."""
    _, plan = await _session(runtime, caller, file_id, session_id)
    found = [t for t in await _subtitles(runtime, file_id) if t.id == track_id and t.convertible]
    if not found:
        raise NotFound(f"No text subtitle track {track_id!r}.")
    url = vtt_path(file_id, track_id) + _signed(request)
    text = tracks.subtitle_playlist(plan.duration, url)
    return Response(text, media_type=hls.MASTER_TYPE, headers={"Cache-Control": "no-store"})


@router.get(HLS + "/{variant}/index.m3u8", response_class=Response, responses=_PLAYLIST)
async def media_playlist(
    file_id: uuid.UUID, session_id: uuid.UUID, variant: VariantName, request: Request,
    caller: FileCaller, runtime: RuntimeDep,
) -> Response:  # fmt: skip
    """Every segment of the running time (VOD), so players can seek anywhere at once."""
    _, plan = await _session(runtime, caller, file_id, session_id)
    chosen = _variant(plan, variant)
    token = _signed(request)
    text = hls.media(plan, chosen, lambda p: p + token)
    return Response(text, media_type=hls.MASTER_TYPE, headers={"Cache-Control": "no-store"})


@router.get(HLS + "/{variant}/{segment}.ts", response_class=Response, responses=_SEGMENT)
async def media_segment(
    file_id: uuid.UUID, session_id: uuid.UUID, variant: VariantName, segment: Segment,
    caller: FileCaller, runtime: RuntimeDep,
) -> Response:  # fmt: skip
    """One segment, made on demand on whichever node receives the request."""
    _, plan = await _session(runtime, caller, file_id, session_id)
    chosen = _variant(plan, variant)
    count = len(plan.bounds(chosen)) - 1
    if not 0 <= segment < count:
        raise BadRequest(f"Segment {segment} is out of range: this variant has {count}.")
    try:
        found = await playback_node(runtime).producer.segment(session_id, plan, chosen, segment)
    except ProductionFailed as exc:
        raise await _failed(runtime, file_id, caller.user_id, str(exc)) from exc
    headers = {"Cache-Control": "no-store"}
    if isinstance(found, bytes):  # made by another node, read from object storage
        return Response(found, media_type=hls.SEGMENT_TYPE, headers=headers)
    return FileResponse(found, media_type=hls.SEGMENT_TYPE, headers=headers)


def _session_out(found: Any) -> PlaybackSessionOut:
    row, username, path = found
    return PlaybackSessionOut(
        id=row.id, user_id=row.user_id, username=username, media_file_id=row.media_file_id,
        path=path, item_kind=row.item_kind, item_id=row.item_id, method=row.method,
        client_name=row.client_name, position_seconds=row.position_seconds, paused=row.paused,
        speed=row.speed, created_at=row.created_at, last_seen_at=row.last_seen_at,
    )  # fmt: skip


@router.get("/api/v1/admin/playback/sessions")
async def list_sessions(_: AdminUser, session: DbSession) -> list[PlaybackSessionOut]:
    """Who plays what right now: direct or transcoded, position, production speed."""
    return [_session_out(found) for found in await service.admin_sessions(session)]


@router.delete(
    "/api/v1/admin/playback/sessions/{session_id}", status_code=204,
    responses=problem_responses({404: "No such active session."}),
)  # fmt: skip
async def stop_session(
    session_id: uuid.UUID, _: AdminUser, session: DbSession, runtime: RuntimeDep
) -> Response:
    """Stop a playback: its playlists and segments answer 410 from now on, on every node."""
    await service.stop_session(runtime, session, session_id, "stopped_by_admin")
    return Response(status_code=204)
