"""Playlists: the caller's audio playlists (and public ones), tracks only as Subsonic sees them."""

from __future__ import annotations

import uuid
from typing import Any

from revenge.catalog.music import service as music
from revenge.compat.subsonic import shapes
from revenge.compat.subsonic.protocol import MISSING_PARAMETER, Payload, SubsonicError
from revenge.compat.subsonic.registry import Ctx, method
from revenge.errors import NotFound
from revenge.playlists import service as playlists
from revenge.playlists.schemas import ItemRef, PlaylistCreate, PlaylistDetail, PlaylistPatch

KIND = "audio"


async def _owner(ctx: Ctx, owner_id: uuid.UUID) -> str:
    if owner_id == ctx.user_id:
        return ctx.principal.username
    try:
        return (await ctx.runtime.accounts.users.get(ctx.session, owner_id)).username
    except NotFound:
        return ""


async def _songs(ctx: Ctx, detail: PlaylistDetail) -> list[Any]:
    ids = [e.id for e in detail.items if e.type == "track"]
    return await music.tracks(ctx.session, ctx.allowed, ctx.user_id, ids)


async def _shape(ctx: Ctx, detail: PlaylistDetail, with_entries: bool) -> Payload:
    songs = await _songs(ctx, detail)
    duration = sum(float(s.duration or 0) for s in songs)
    out = shapes.playlist(detail, await _owner(ctx, detail.owner_id), len(songs), duration)
    out["created"], out["changed"] = detail.created_at, detail.updated_at
    if with_entries:
        out["entry"] = [shapes.song(s) for s in songs]
    return out


def _playlist_id(ctx: Ctx, name: str) -> uuid.UUID:
    return ctx.params.item(name, "playlist")[1]


@method("getPlaylists")
async def get_playlists(ctx: Ctx) -> Payload:
    found = await playlists.listing(ctx.session, ctx.principal, KIND, include_public=True)
    details = [await playlists.detail(ctx.session, ctx.principal, KIND, p.id) for p in found]
    return {"playlists": {"playlist": [await _shape(ctx, d, False) for d in details]}}


@method("getPlaylist")
async def get_playlist(ctx: Ctx) -> Payload:
    detail = await playlists.detail(ctx.session, ctx.principal, KIND, _playlist_id(ctx, "id"))
    return {"playlist": await _shape(ctx, detail, True)}


def _song_refs(ctx: Ctx, name: str) -> list[ItemRef]:
    return [ItemRef(type="track", id=i) for _, i in ctx.params.items_of(name)]


@method("createPlaylist", write=True)
async def create_playlist(ctx: Ctx) -> Payload:
    """A new playlist of `songId`s, or (with `playlistId`) that playlist's songs replaced."""
    if ctx.params.get("playlistId"):
        pid = _playlist_id(ctx, "playlistId")
        current = await playlists.detail(ctx.session, ctx.principal, KIND, pid)
        for entry in current.items:
            await playlists.remove_item(ctx.session, ctx.principal, KIND, pid, entry.entry_id)
    else:
        name = ctx.params.get("name")
        if not name:
            raise SubsonicError(MISSING_PARAMETER, "Required parameter 'name' is missing.")
        made = await playlists.create(
            ctx.session, ctx.principal, PlaylistCreate(kind=KIND, name=name[:200])
        )
        pid = made.id
    refs = _song_refs(ctx, "songId")
    if refs:
        await playlists.add_items(ctx.session, ctx.principal, KIND, pid, refs)
    detail = await playlists.detail(ctx.session, ctx.principal, KIND, pid)
    return {"playlist": await _shape(ctx, detail, True)}


@method("updatePlaylist", write=True)
async def update_playlist(ctx: Ctx) -> Payload:
    pid = _playlist_id(ctx, "playlistId")
    patch: dict[str, Any] = {}
    if ctx.params.get("name"):
        patch["name"] = (ctx.params.get("name") or "")[:200]
    if ctx.params.get("comment") is not None:
        patch["description"] = (ctx.params.get("comment") or "")[:5000] or None
    if ctx.params.get("public"):
        patch["is_public"] = ctx.params.flag("public", False)
    await playlists.update(ctx.session, ctx.principal, KIND, pid, PlaylistPatch(**patch))
    current = await playlists.detail(ctx.session, ctx.principal, KIND, pid)
    indexes = {int(v) for v in ctx.params.all("songIndexToRemove") if v.isdigit()}
    for index in sorted(indexes):
        if index < len(current.items):
            entry = current.items[index].entry_id
            await playlists.remove_item(ctx.session, ctx.principal, KIND, pid, entry)
    refs = _song_refs(ctx, "songIdToAdd")
    if refs:
        await playlists.add_items(ctx.session, ctx.principal, KIND, pid, refs)
    return {}


@method("deletePlaylist", write=True)
async def delete_playlist(ctx: Ctx) -> Payload:
    await playlists.delete(ctx.session, ctx.principal, KIND, _playlist_id(ctx, "id"))
    return {}
