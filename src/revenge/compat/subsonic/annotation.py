"""Marks and plays: star, unstar, setRating, scrobble, bookmarks, now playing, the user."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from revenge.catalog.music import service as music
from revenge.catalog.state import service as state
from revenge.compat.subsonic import shapes
from revenge.compat.subsonic.params import folder_id, sid
from revenge.compat.subsonic.protocol import MISSING_PARAMETER, Payload, SubsonicError
from revenge.compat.subsonic.registry import Ctx, method
from revenge.scanning.service import visible_libraries

# Ids in `id` name tracks (or anything); `albumId` and `artistId` are the ID3 ways.
_STAR_PARAMS = (("id", ()), ("albumId", ("album",)), ("artistId", ("artist",)))


def _targets(ctx: Ctx) -> list[tuple[str, uuid.UUID]]:
    found = [t for name, _ in _STAR_PARAMS for t in ctx.params.items_of(name)]
    if not found:
        raise SubsonicError(MISSING_PARAMETER, "Required parameter 'id' is missing.")
    return found


async def _star(ctx: Ctx, on: bool) -> Payload:
    for kind, item_id in _targets(ctx):
        await state.update(ctx.session, ctx.principal, kind, item_id, {"favourite": on})
    return {}


@method("star", write=True)
async def star(ctx: Ctx) -> Payload:
    return await _star(ctx, True)


@method("unstar", write=True)
async def unstar(ctx: Ctx) -> Payload:
    return await _star(ctx, False)


@method("setRating", write=True)
async def set_rating(ctx: Ctx) -> Payload:
    kind, item_id = ctx.params.item("id")
    rating = ctx.params.integer("rating", -1, -1, 5)
    if ctx.params.get("rating") in (None, "") or rating < 0:
        raise SubsonicError(MISSING_PARAMETER, "Parameter 'rating' must be 0 to 5.")
    await state.update(ctx.session, ctx.principal, kind, item_id, {"rating": rating or None})
    return {}


@method("scrobble", write=True)
async def scrobble(ctx: Ctx) -> Payload:
    """A finished play (submission, the default) or a play that just started."""
    targets = ctx.params.items_of("id")
    if not targets:
        raise SubsonicError(MISSING_PARAMETER, "Required parameter 'id' is missing.")
    times = [ctx.params.integer("time", 0, 0, 10**14)] if ctx.params.get("time") else []
    submission = ctx.params.flag("submission", True)
    for n, (kind, item_id) in enumerate(targets):
        if not submission:
            await state.started_playing(ctx.session, ctx.principal, kind, item_id)
            continue
        ms = times[n] if n < len(times) else 0
        when = datetime.fromtimestamp(ms / 1000, UTC) if ms else None
        await state.record_play(ctx.session, ctx.principal, kind, item_id, when)
    return {}


@method("getNowPlaying")
async def get_now_playing(ctx: Ctx) -> Payload:
    rows = await state.now_playing(ctx.session, ctx.principal)
    songs = {s.id: s for s in await music.tracks(
        ctx.session, ctx.allowed, ctx.user_id, list({r.item_id for r in rows}))}  # fmt: skip
    now = datetime.now(UTC)
    entries = [
        {**shapes.song(songs[r.item_id]), "username": r.username, "playerId": 0,
         "minutesAgo": int((now - r.last_played_at).total_seconds() // 60)}
        for r in rows if r.item_id in songs
    ]  # fmt: skip
    return {"nowPlaying": {"entry": entries}}


@method("getUser")
async def get_user(ctx: Ctx) -> Payload:
    name = ctx.params.get("username") or ctx.principal.username
    if name.lower() != ctx.principal.username.lower() and not ctx.principal.is_admin:
        raise SubsonicError(50, "Only administrators may see other users.")
    admin = ctx.principal.is_admin
    folders = [folder_id(x.id) for x in await visible_libraries(ctx.session, ctx.allowed)]
    roles = ("settingsRole", "downloadRole", "playlistRole", "coverArtRole", "commentRole",
             "podcastRole", "streamRole", "shareRole")  # fmt: skip
    return {"user": {
        "username": ctx.principal.username, "scrobblingEnabled": True, "adminRole": admin,
        "uploadRole": False, "jukeboxRole": False, "videoConversionRole": False,
        **dict.fromkeys(roles, True), "folder": folders,
    }}  # fmt: skip


_BOOKMARK_KINDS = ["audiobook", "podcast_episode", "track"]


@method("getBookmarks")
async def get_bookmarks(ctx: Ctx) -> Payload:
    rows = await state.bookmarks(ctx.session, ctx.principal, _BOOKMARK_KINDS)
    entries = await _entries(ctx, [(r.item_kind, r.item_id) for r in rows])
    marks = [
        {"position": int(r.position_seconds * 1000), "username": ctx.principal.username,
         "created": r.updated_at, "changed": r.updated_at, "entry": entries[r.item_id]}
        for r in rows if r.item_id in entries
    ]  # fmt: skip
    return {"bookmarks": {"bookmark": marks}}


async def _entries(ctx: Ctx, keys: list[tuple[str, uuid.UUID]]) -> dict[uuid.UUID, Payload]:
    from revenge.catalog.audiobooks import service as books

    track_ids = [i for k, i in keys if k == "track"]
    found = {t.id: shapes.song(t) for t in await music.tracks(
        ctx.session, ctx.allowed, ctx.user_id, track_ids)}  # fmt: skip
    for book in await books.by_ids(
        ctx.session, ctx.allowed, [i for k, i in keys if k == "audiobook"]
    ):
        found[book.id] = shapes.audiobook(book)
    for kind, item_id in keys:
        if kind == "podcast_episode" and item_id not in found:
            found[item_id] = {"id": sid(kind, item_id), "isDir": False, "title": ""}
    return found


@method("createBookmark", write=True)
async def create_bookmark(ctx: Ctx) -> Payload:
    kind, item_id = ctx.params.item("id", "audiobook", "podcast_episode", "track")
    position = ctx.params.integer("position", -1, -1, 10**12)
    if position < 0:
        raise SubsonicError(MISSING_PARAMETER, "Required parameter 'position' is missing.")
    changes = {"position_seconds": position / 1000, "played": False}
    await state.update(ctx.session, ctx.principal, kind, item_id, changes)
    return {}


@method("deleteBookmark", write=True)
async def delete_bookmark(ctx: Ctx) -> Payload:
    kind, item_id = ctx.params.item("id", "audiobook", "podcast_episode", "track")
    await state.update(ctx.session, ctx.principal, kind, item_id, {"position_seconds": 0})
    return {}
