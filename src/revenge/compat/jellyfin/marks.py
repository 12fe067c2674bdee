"""Playback reports, played and favourite marks, and playlists: the native item state."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from revenge.catalog.state import service as state
from revenge.compat.jellyfin import shapes
from revenge.compat.jellyfin.common import Ctx, context, json_body, router
from revenge.compat.jellyfin.ids import jid, parse, parse_many
from revenge.compat.jellyfin.items import by_keys
from revenge.compat.jellyfin.shapes import EMPTY, TICKS, Dto, page
from revenge.errors import BadRequest, NotFound
from revenge.playback import service as playback
from revenge.playlists import service as playlists
from revenge.playlists.schemas import ItemRef, PlaylistCreate

STATEFUL = ("movie", "episode", "track", "audiobook", "podcast_episode", "album", "artist")
_PLAYLIST_KINDS = {"video_playlist": "video", "audio_playlist": "audio"}


def _item(value: Any) -> tuple[str, uuid.UUID]:
    key = parse(str(value) if value is not None else None)
    if key is None or key[0] not in STATEFUL:
        raise NotFound("Item not found.")
    return key


async def _report(request: Request, stopped: bool) -> Response:
    body = await json_body(request)
    async with context(request) as ctx:
        kind, item_id = _item(body.get("itemid"))
        position_ticks = body.get("positionticks")
        if isinstance(position_ticks, int | float) and position_ticks >= 0:
            position = min(float(position_ticks) / TICKS, 10_000_000.0)
            await state.record_progress(ctx.session, ctx.principal, kind, item_id, position,
                                        finished=stopped)  # fmt: skip
        else:
            await state.started_playing(ctx.session, ctx.principal, kind, item_id)
        await _session_report(ctx, item_id, body, stopped)
    return Response(status_code=204)


async def _session_report(
    ctx: Ctx, item_id: uuid.UUID, body: dict[str, Any], stopped: bool
) -> None:
    """Keep the playback session the PlaybackInfo opened alive (or end it)."""
    try:
        session_id = uuid.UUID(str(body.get("playsessionid") or ""))
    except ValueError:
        return
    ticks = body.get("positionticks")
    position = float(ticks) / TICKS if isinstance(ticks, int | float) and ticks >= 0 else None
    paused = body.get("ispaused") if isinstance(body.get("ispaused"), bool) else None
    # A session of another node's past, or none: the item state is what counts.
    with contextlib.suppress(NotFound):
        await playback.report_progress(
            ctx.runtime, ctx.session, ctx.user_id, item_id, session_id, position, paused, stopped
        )


@router.post("/Sessions/Playing")
async def playing(request: Request) -> Response:
    return await _report(request, False)


@router.post("/Sessions/Playing/Progress")
async def progress(request: Request) -> Response:
    return await _report(request, False)


@router.post("/Sessions/Playing/Stopped")
async def stopped(request: Request) -> Response:
    return await _report(request, True)


@router.post("/Sessions/Playing/Ping")
async def playing_ping() -> Response:
    return Response(status_code=204)


async def _user_data(ctx: Ctx, kind: str, item_id: uuid.UUID) -> Dto:
    found = await by_keys(ctx, [(kind, item_id)])
    data: Dto = found[0]["UserData"] if found else shapes.user_data(jid(kind, item_id), None)
    return data


async def _mark(request: Request, item_id: str, changes: dict[str, Any] | None) -> Dto:
    async with context(request) as ctx:
        kind, key = _item(item_id)
        if changes is None:
            await state.record_play(ctx.session, ctx.principal, kind, key, None)
        else:
            await state.update(ctx.session, ctx.principal, kind, key, changes)
        return await _user_data(ctx, kind, key)


@router.post("/UserPlayedItems/{item_id}")
@router.post("/Users/{user_id}/PlayedItems/{item_id}")
async def mark_played(item_id: str, request: Request) -> Dto:
    return await _mark(request, item_id, None)


@router.delete("/UserPlayedItems/{item_id}")
@router.delete("/Users/{user_id}/PlayedItems/{item_id}")
async def mark_unplayed(item_id: str, request: Request) -> Dto:
    return await _mark(request, item_id, {"played": False, "position_seconds": 0.0})


@router.post("/UserFavoriteItems/{item_id}")
@router.post("/Users/{user_id}/FavoriteItems/{item_id}")
async def mark_favourite(item_id: str, request: Request) -> Dto:
    return await _mark(request, item_id, {"favourite": True})


@router.delete("/UserFavoriteItems/{item_id}")
@router.delete("/Users/{user_id}/FavoriteItems/{item_id}")
async def unmark_favourite(item_id: str, request: Request) -> Dto:
    return await _mark(request, item_id, {"favourite": False})


def _refs(keys: list[tuple[str, uuid.UUID]]) -> list[ItemRef]:
    usable = ("movie", "episode", "track", "audiobook", "podcast_episode")
    return [ItemRef(type=k, id=i) for k, i in keys if k in usable]


@router.post("/Playlists")
async def create_playlist(request: Request) -> Dto:
    body = await json_body(request)
    name = body.get("name")
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 200:
        raise BadRequest("Name is required.")
    kind = "audio" if str(body.get("mediatype", "")).lower() == "audio" else "video"
    raw_ids = body.get("ids") or []
    ids = ",".join(str(i) for i in raw_ids) if isinstance(raw_ids, list) else str(raw_ids)
    ids = ",".join(filter(None, (ids, request.query_params.get("ids", ""))))
    async with context(request) as ctx:
        made = await playlists.create(ctx.session, ctx.principal,
                                      PlaylistCreate(kind=kind, name=name.strip()))  # fmt: skip
        refs = _refs(parse_many(ids))
        if refs:
            await playlists.add_items(ctx.session, ctx.principal, kind, made.id, refs)
        return {"Id": jid(f"{kind}_playlist", made.id)}


def _playlist(item_id: str) -> tuple[str, uuid.UUID]:
    key = parse(item_id)
    if key is None or key[0] not in _PLAYLIST_KINDS:
        raise NotFound("Playlist not found.")
    return _PLAYLIST_KINDS[key[0]], key[1]


@router.get("/Playlists/{playlist_id}/Items")
async def playlist_items(playlist_id: str, request: Request) -> Dto:
    kind, pid = _playlist(playlist_id)
    async with context(request) as ctx:
        detail = await playlists.detail(ctx.session, ctx.principal, kind, pid)
        found = await by_keys(ctx, [(e.type, e.id) for e in detail.items])
        for dto, entry in zip(found, detail.items, strict=False):
            dto["PlaylistItemId"] = entry.entry_id.hex
        return page(found, len(found), 0)


@router.post("/Playlists/{playlist_id}/Items")
async def add_playlist_items(playlist_id: str, request: Request) -> Response:
    kind, pid = _playlist(playlist_id)
    async with context(request) as ctx:
        refs = _refs(parse_many(ctx.q.get("Ids")))
        if refs:
            await playlists.add_items(ctx.session, ctx.principal, kind, pid, refs)
    return Response(status_code=204)


@router.delete("/Playlists/{playlist_id}/Items")
async def remove_playlist_items(playlist_id: str, request: Request) -> Response:
    kind, pid = _playlist(playlist_id)
    async with context(request) as ctx:
        for raw in (ctx.q.get("EntryIds") or "").split(",")[:500]:
            try:
                entry = uuid.UUID(raw.strip())
            except ValueError:
                continue
            await playlists.remove_item(ctx.session, ctx.principal, kind, pid, entry)
    return Response(status_code=204)


async def playlists_page(ctx: Ctx) -> Dto:
    found: list[Dto] = []
    for kind in ("video", "audio"):
        for row in await playlists.listing(ctx.session, ctx.principal, kind, False):
            found.append(shapes.playlist(f"{kind}_playlist", row, ctx.server))
    return page(found, len(found), 0)


# Jellyfin has these; Revenge has nothing of them: empty answers, as for an empty library.
@router.get("/Genres")
@router.get("/Studios")
@router.get("/Persons")
@router.get("/Artists")
@router.get("/Items/{item_id}/Similar")
@router.get("/Items/{item_id}/ThemeMedia/Songs")
@router.get("/LiveTv/Channels")
@router.get("/Channels")
async def nothing(request: Request) -> Dto:
    return EMPTY


@router.get("/Items/{item_id}/Intros")
@router.get("/Users/{user_id}/Items/{item_id}/Intros")
@router.get("/Items/{item_id}/SpecialFeatures")
@router.get("/Users/{user_id}/Items/{item_id}/SpecialFeatures")
@router.get("/Items/{item_id}/LocalTrailers")
@router.get("/Users/{user_id}/Items/{item_id}/LocalTrailers")
@router.get("/Plugins")
async def nothing_list(request: Request) -> Any:
    path = request.url.path.lower()
    return EMPTY if path.endswith("/intros") else []
