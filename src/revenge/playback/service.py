"""Playback logic: the decision for an item, HLS sessions, failures (no HTTP, never commits)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.errors import BadRequest, NotFound, ServiceUnavailable
from revenge.identity import Principal
from revenge.libraries.models import MediaFile, MediaStream
from revenge.libraries.scanner.repository import save_probes
from revenge.playback import repository as repo
from revenge.playback import subtitles
from revenge.playback.answer import file_out
from revenge.playback.decision import Decision, FileFacts, StreamFacts, decide, decide_audio
from revenge.playback.errors import SessionEnded
from revenge.playback.models import PlaybackSession
from revenge.playback.node import playback_node
from revenge.playback.plan import Plan
from revenge.playback.profiles import MAX_BITRATE, MIN_BITRATE, PROFILES, Capabilities
from revenge.playback.schemas import (
    ArtworkOut,
    FileDecisionOut,
    PlaybackDecisionOut,
    PlaybackRequest,
)
from revenge.playback.subtitle_names import discover as discover_subtitles
from revenge.playback.subtitle_repository import replace_sidecars
from revenge.playback.subtitles import SubtitleTrack
from revenge.streaming.files import open_confined
from revenge.streaming.service import Caller, visible_file
from revenge.streaming.signing import (
    MediaCaller,
    file_scope,
    image_scope,
    playback_ttl,
    sign_url,
    signer,
)

if TYPE_CHECKING:
    from revenge.runtime import Runtime

_FACT_FIELDS = tuple(StreamFacts.__slots__)


async def record_playback_failure(
    runtime: Runtime, session: AsyncSession, file_id: uuid.UUID, user_id: uuid.UUID, reason: str
) -> None:
    """The one place a failed playback (corrupt file, unsupported codec) is recorded, and
    announced to administrators as `playback.transcode.failed`."""
    await repo.record_file_failure(session, file_id, reason)
    found = await repo.failure_context(session, file_id, user_id)
    if found is None:
        return
    username, library_id, path = found
    await runtime.events.transcode_failed(
        session, user_id=user_id, username=username, item_title=os.path.basename(path),
        library_id=library_id, reason=reason, data={"media_file_id": str(file_id)},
    )  # fmt: skip


async def announce_session(
    runtime: Runtime, session: AsyncSession, action: str, row: PlaybackSession
) -> None:
    """A playback started or ended: a live update for administrators."""
    await runtime.events.playback_session(session, action, {
        "playback_session_id": str(row.id), "user_id": str(row.user_id),
        "media_file_id": str(row.media_file_id), "item_kind": row.item_kind,
        "item_id": str(row.item_id) if row.item_id else None, "method": row.method,
    })  # fmt: skip


def capabilities(request: PlaybackRequest) -> Capabilities:
    """The client's capabilities (checked), else its named profile's."""
    if request.capabilities is not None:
        rate = request.capabilities.max_bitrate
        if rate is not None and not MIN_BITRATE <= rate <= MAX_BITRATE:
            raise BadRequest(
                f"max_bitrate {rate} is outside {MIN_BITRATE} to {MAX_BITRATE} bits per second."
            )
        return request.capabilities
    if request.profile is None:
        raise BadRequest("Send a `profile` or the client's `capabilities`.")
    return PROFILES[request.profile]


def _facts(row: MediaFile, streams: list[MediaStream]) -> FileFacts:
    facts = [StreamFacts(**{f: getattr(s, f) for f in _FACT_FIELDS}) for s in streams]
    return FileFacts(row.container, row.duration_seconds, row.bit_rate, facts)


async def _visible_files(
    session: AsyncSession, principal: Principal, item_id: uuid.UUID
) -> list[tuple[MediaFile, str]]:
    """The item's files the caller may see, each with its path resolved inside its roots."""
    caller = Caller(principal.user_id, principal.is_admin)
    visible = []
    for row in await repo.item_files(session, item_id):
        try:
            found = await visible_file(session, caller, row.id)
        except NotFound:
            continue
        real = confined_path(found.path, found.roots)
        if real is not None:
            visible.append((row, real))
    if not visible:
        raise NotFound(f"No playable item {item_id}.")
    return visible


def confined_path(path: str, roots: list[str]) -> str | None:
    """The file's real path if, symlinks resolved, it is a regular file inside a root."""
    opened = open_confined(path, roots)
    if opened is None:
        return None
    os.close(opened[0])
    return os.path.realpath(path)


async def _probe_pending(
    runtime: Runtime, session: AsyncSession, files: list[tuple[MediaFile, str]]
) -> None:
    """Files the scanner has not analysed yet are probed now: play works right after a scan."""
    pending = {row.id: real for row, real in files if row.analysis == "pending"}
    if not pending:
        return
    node = playback_node(runtime)
    results = {fid: await node.producer.probe(real) for fid, real in pending.items()}
    await save_probes(session, results)
    # As the probe job does: subtitle files beside each video, by name.
    await replace_sidecars(
        session, {fid: discover_subtitles(real) for fid, real in pending.items()}
    )
    for row, _ in files:
        if row.id in results:
            await session.refresh(row)


async def decide_item(
    runtime: Runtime, session: AsyncSession, principal: Principal, item_id: uuid.UUID,
    request: PlaybackRequest,
) -> PlaybackDecisionOut:  # fmt: skip
    """Every version's decision; the chosen one gets a session and signed URL."""
    visible = await _visible_files(session, principal, item_id)
    caps = capabilities(request)
    if request.file_id is not None and request.file_id not in {f.id for f, _ in visible}:
        raise NotFound(f"No version {request.file_id} of item {item_id}.")
    await _probe_pending(runtime, session, visible)
    files = [row for row, _ in visible]
    real_paths = {row.id: real for row, real in visible}
    limit = int(await runtime.server_settings.get("transcoding.max_concurrent"))
    streams = await repo.streams_of(session, [f.id for f in files])
    results = []
    for row in files:
        facts = _facts(row, [s for s in streams if s.media_file_id == row.id])
        if row.analysis == "failed":
            decision = Decision("none", [f"the file cannot be read: {row.failure_reason}"])
        elif row.kind == "audio":
            decision = decide_audio(facts, caps)
        else:
            decision = decide(
                facts, caps, audio_index=request.audio_stream, can_transcode=limit > 0
            )
        results.append((row, facts, decision))
    chosen = _choose(results, request.file_id)
    ttl = playback_ttl(chosen[0].duration_seconds)
    subs = await subtitles.tracks_of_files(session, [f.id for f in files])
    outs = [
        file_out(runtime, principal, (row, facts, decision), subs[row.id], ttl, request)
        for row, facts, decision in results
    ]
    index = results.index(chosen)
    limits = (ttl, limit, real_paths[chosen[0].id])
    outs[index] = await _start(runtime, session, principal, chosen, outs[index], limits, request)
    images = [
        ArtworkOut(kind=kind, url=sign_url(runtime, principal, f"/api/v1/images/{image_id}",
                                           image_scope(image_id), ttl))
        for kind, image_id in await repo.item_images(session, item_id)
    ]  # fmt: skip
    expires = int(time.time()) + ttl
    return PlaybackDecisionOut(item_id=item_id, expires_at=expires, files=outs, images=images)


def _choose(
    results: list[tuple[MediaFile, FileFacts, Decision]], file_id: uuid.UUID | None
) -> tuple[MediaFile, FileFacts, Decision]:
    if file_id is not None:
        chosen = next(r for r in results if r[0].id == file_id)
    else:
        order = {"direct": 0, "remux": 1, "transcode": 2, "none": 3}
        chosen = min(results, key=lambda r: order[r[2].method])
    if chosen[2].method == "none":
        raise BadRequest(
            "This client can play nothing of this item: " + "; ".join(chosen[2].reasons),
            reasons=chosen[2].reasons,
        )
    return chosen


async def _start(
    runtime: Runtime, session: AsyncSession, principal: Principal,
    chosen: tuple[MediaFile, FileFacts, Decision], out: FileDecisionOut,
    limits: tuple[int, int, str], request: PlaybackRequest,
) -> FileDecisionOut:  # fmt: skip
    """Open the playback session of the chosen file and sign its URL."""
    row, facts, decision = chosen
    ttl, limit, real = limits
    # The user's oldest sessions beyond the cap end first: a player that re-opens is not
    # refused because of its own abandoned sessions.
    cap = runtime.settings.playback.sessions_per_user
    await repo.end_beyond(session, principal.user_id, cap - 1)
    plan_json: dict[str, object] = {}
    if decision.method != "direct" and row.kind == "video":
        plan_json = await _hls_plan(runtime, session, limit, real, facts, decision)
    live = await repo.insert_session(session, {
        "user_id": principal.user_id, "auth_session_id": principal.session_id,
        "media_file_id": row.id, "item_kind": row.item_kind, "item_id": row.item_id,
        "method": decision.method, "plan": plan_json, "client_name": request.client_name,
    })  # fmt: skip
    await announce_session(runtime, session, "started", live)
    token = signer(runtime).issue(principal, file_scope(row.id), ttl)
    if row.kind == "audio":
        path = audio_path(row.id, decision)
    elif decision.method == "direct":
        path = f"/api/v1/stream/{row.id}"
    else:
        path = f"/api/v1/playback/hls/{row.id}/{live.id}/master.m3u8"
    url = f"{path}{'&' if '?' in path else '?'}token={token}"
    return out.model_copy(update={"url": url, "playback_session_id": live.id, "selected": True})


async def _hls_plan(
    runtime: Runtime, session: AsyncSession, limit: int, real: str, facts: FileFacts,
    decision: Decision,
) -> dict[str, object]:  # fmt: skip
    """The segment plan of a new HLS session, if a transcoding slot is free (cluster-wide)."""
    await repo.lock_slots(session)  # two nodes deciding at once do not both take the last slot
    if await repo.count_active_hls(session, runtime.settings.playback.idle_seconds) >= limit:
        raise ServiceUnavailable(
            f"All {limit} transcoding slots are in use; try again shortly.", retry_after=30
        )
    assert decision.video is not None
    audio = decision.audio.index if decision.audio else None
    plan = await playback_node(runtime).producer.plan(
        real, facts.duration or 0.0, decision.video.index, audio, decision.variants
    )
    codec = decision.audio.codec if decision.audio else None
    return replace(plan, video_codec=decision.video.codec, audio_codec=codec).to_json()


def audio_path(file_id: uuid.UUID, decision: Decision) -> str:
    """The audio route: the file as it is, or converted as the decision says."""
    path = f"/api/v1/stream/{file_id}/audio"
    if decision.convert_to is None:
        return path
    limit = f"&max_bitrate={decision.max_kbps}" if decision.max_kbps else ""
    return f"{path}?format={decision.convert_to}{limit}"


async def hls_session(
    session: AsyncSession, caller: MediaCaller, file_id: uuid.UUID, session_id: uuid.UUID
) -> tuple[PlaybackSession, Plan]:
    """The caller's live HLS session of this file, touched (it is being played)."""
    row = await repo.get_session(session, session_id)
    if row is None or row.media_file_id != file_id or not row.plan:
        raise NotFound(f"No playback session {session_id}.")
    if row.user_id != caller.user_id and not caller.is_admin:
        raise NotFound(f"No playback session {session_id}.")
    if row.ended_at is not None:
        raise SessionEnded(f"Playback session {session_id} ended ({row.ended_reason}).")
    # Every request re-checks the library grant and that the file is still inside its roots.
    found = await visible_file(session, Caller(caller.user_id, caller.is_admin), file_id)
    plan = Plan.from_json(row.plan)
    if confined_path(plan.path, found.roots) is None:
        raise NotFound(f"File {file_id} is not available.")
    await repo.touch(session, session_id)
    return row, plan


async def subtitle_tracks(session: AsyncSession, file_id: uuid.UUID) -> list[SubtitleTrack]:
    return (await subtitles.tracks_of_files(session, [file_id]))[file_id]


async def admin_sessions(session: AsyncSession) -> Sequence[object]:
    return await repo.active_sessions(session)


async def stop_session(
    runtime: Runtime, session: AsyncSession, session_id: uuid.UUID, reason: str
) -> None:
    row = await repo.get_session(session, session_id)
    ended = await repo.end_where(session, reason, PlaybackSession.id == session_id)
    if not ended or row is None:
        raise NotFound(f"No active playback session {session_id}.")
    await announce_session(runtime, session, reason, row)


async def report_progress(
    runtime: Runtime, session: AsyncSession, user_id: uuid.UUID, item_id: uuid.UUID,
    session_id: uuid.UUID, position: float | None, paused: bool | None, stopped: bool,
) -> None:  # fmt: skip
    """A player's position/pause/stop, sent with the item state (keeps the session alive)."""
    row = await repo.get_session(session, session_id)
    if row is None or row.user_id != user_id or row.item_id != item_id:
        raise NotFound(f"No playback session {session_id}.")
    values: dict[str, object] = {}
    if position is not None:
        values["position_seconds"] = position
    if paused is not None:
        values["paused"] = paused
    await repo.touch(session, session_id, **values)
    if stopped and await repo.end_where(session, "stopped", PlaybackSession.id == session_id):
        await announce_session(runtime, session, "stopped", row)
