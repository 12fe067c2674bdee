"""Items: views, the general `/Items` query, single items, seasons, episodes, home rows."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request

from revenge.catalog import video_service as video
from revenge.catalog.me import service as home
from revenge.catalog.music import service as music
from revenge.compat.jellyfin import shapes
from revenge.compat.jellyfin.common import Ctx, context, router
from revenge.compat.jellyfin.ids import parse, parse_many
from revenge.compat.jellyfin.shapes import EMPTY, Dto, page
from revenge.errors import NotFound
from revenge.scanning.service import visible_libraries
from revenge.search.index import SearchQuery
from revenge.search.service import search_index

MAX_PAGE = 500
_SORTS = {
    "sortname": "title", "name": "title", "productionyear": "year", "premieredate": "year",
    "datecreated": "added", "communityrating": "rating", "runtime": "runtime",
}  # fmt: skip
_ALBUM_LISTS = {
    "datecreated": "newest", "random": "random", "dateplayed": "recent",
    "playcount": "frequent", "communityrating": "highest",
}  # fmt: skip
# Jellyfin item types -> Revenge kinds (search and listing).
TYPES = {
    "movie": "movie", "series": "series", "episode": "episode", "musicalbum": "album",
    "audio": "track", "musicartist": "artist", "audiobook": "audiobook",
}  # fmt: skip
LIBRARY_CHILD = {"movie": "movie", "tv": "series", "music": "album"}


def _page_args(ctx: Ctx) -> tuple[int, int]:
    return ctx.q.integer("StartIndex", 0), ctx.q.integer("Limit", 100, 0, MAX_PAGE)


async def views(ctx: Ctx) -> Dto:
    libs = await visible_libraries(ctx.session, ctx.allowed)
    return page([shapes.library(lib, ctx.server) for lib in libs], len(libs), 0)


@router.get("/UserViews")
@router.get("/Users/{user_id}/Views")
@router.get("/Library/MediaFolders")
async def user_views(request: Request) -> Dto:
    async with context(request, reading=True) as ctx:
        return await views(ctx)


async def movies_dto(ctx: Ctx, rows: list[Any]) -> list[Dto]:
    found = await video.player_states(ctx.session, ctx.user_id, "movie", [r.id for r in rows])
    return [shapes.movie(r, ctx.server, (s := found[r.id]), s.duration) for r in rows]


async def episodes_dto(ctx: Ctx, rows: list[Any]) -> list[Dto]:
    states = await video.player_states(ctx.session, ctx.user_id, "episode", [r.id for r in rows])
    names: dict[uuid.UUID, str] = {}
    for series_id in {r.series_id for r in rows}:
        found = await video.series(ctx.session, ctx.allowed, series_id)
        names[series_id] = found.title if found else ""
    return [
        shapes.episode(r, ctx.server, (s := states[r.id]), s.duration, names[r.series_id])
        for r in rows
    ]


async def series_dto(ctx: Ctx, rows: list[Any]) -> list[Dto]:
    states = await video.states(ctx.session, ctx.user_id, [r.id for r in rows])
    return [shapes.series(r, ctx.server, states.get(r.id)) for r in rows]


def _filters(ctx: Ctx) -> dict[str, Any]:
    wanted = set(ctx.q.words("Filters"))
    found: dict[str, Any] = {}
    years = [int(y) for y in ctx.q.words("Years") if y.isdigit() and len(y) <= 4]
    if years:
        found.update(year_from=min(years), year_to=max(years))
    if "isplayed" in wanted or ctx.q.flag("IsPlayed") is True:
        found["played"] = True
    if "isunplayed" in wanted or ctx.q.flag("IsPlayed") is False:
        found["played"] = False
    if "isfavorite" in wanted or ctx.q.flag("IsFavorite"):
        found["favourite"] = True
    return found


def _sort(ctx: Ctx, sorts: tuple[str, ...]) -> tuple[str, bool]:
    first = (ctx.q.words("SortBy") or ["sortname"])[0]
    descending = (ctx.q.words("SortOrder") or ["ascending"])[0] == "descending"
    name = _SORTS.get(first, "title")
    return (name if name in sorts else "title"), descending


async def _movies(ctx: Ctx, library_id: uuid.UUID | None) -> Dto:
    start, limit = _page_args(ctx)
    filters = _filters(ctx)
    if ctx.q.get("Genres"):
        filters["genre"] = (ctx.q.get("Genres") or "").split("|")[0][:100]
    sort, desc = _sort(ctx, video.MOVIE_SORTS)
    wanted = video.PageRequest(library_id, sort, desc, max(limit, 1), start, ctx.runtime.cache)
    rows, total = await video.movie_page(ctx.session, ctx.principal, ctx.allowed, wanted, filters)
    return page(await movies_dto(ctx, rows[:limit]), total, start)


async def _series(ctx: Ctx, library_id: uuid.UUID | None) -> Dto:
    start, limit = _page_args(ctx)
    filters = {k: v for k, v in _filters(ctx).items() if k != "favourite"}
    sort, desc = _sort(ctx, video.SERIES_SORTS)
    wanted = video.PageRequest(library_id, sort, desc, max(limit, 1), start, ctx.runtime.cache)
    rows, total = await video.series_page(ctx.session, ctx.principal, ctx.allowed, wanted, filters)
    return page(await series_dto(ctx, rows[:limit]), total, start)


def _scope(ctx: Ctx, library_id: uuid.UUID | None) -> set[uuid.UUID] | None:
    if library_id is None:
        return ctx.allowed
    return {library_id} if ctx.allowed is None or library_id in ctx.allowed else set()


async def _albums(ctx: Ctx, library_id: uuid.UUID | None) -> Dto:
    start, limit = _page_args(ctx)
    first = (ctx.q.words("SortBy") or ["sortname"])[0]
    kind = "starred" if _filters(ctx).get("favourite") else _ALBUM_LISTS.get(first, "")
    kind = kind or "alphabeticalByName"
    rows = await music.album_list(
        ctx.session, _scope(ctx, library_id), ctx.user_id, kind, limit + 1, start, {}
    )
    # The lists are not counted: one more row than asked tells whether a next page exists.
    return page([shapes.album(r, ctx.server) for r in rows[:limit]], start + len(rows), start)


async def _tracks(ctx: Ctx, library_id: uuid.UUID | None) -> Dto:
    start, limit = _page_args(ctx)
    rows = await music.all_tracks(
        ctx.session, _scope(ctx, library_id), ctx.user_id, limit + 1, start
    )
    return page([shapes.track(r, ctx.server) for r in rows[:limit]], start + len(rows), start)


async def _artists(ctx: Ctx, library_id: uuid.UUID | None) -> Dto:
    start, limit = _page_args(ctx)
    rows = await music.artists(ctx.session, _scope(ctx, library_id), ctx.user_id)
    return page([shapes.artist(r, ctx.server) for r in rows[start:][:limit]], len(rows), start)


_LISTERS = {"movie": _movies, "series": _series, "album": _albums, "track": _tracks,
            "artist": _artists}  # fmt: skip


async def _children(ctx: Ctx, kind: str, item_id: uuid.UUID) -> Dto:
    """The children of a folder-like item: a library's, a series', a season's, an album's."""
    if kind == "library":
        libs = [x for x in await visible_libraries(ctx.session, ctx.allowed) if x.id == item_id]
        if not libs:
            return EMPTY
        types = [TYPES[t] for t in ctx.q.words("IncludeItemTypes") if t in TYPES]
        child = types[0] if types else LIBRARY_CHILD.get(libs[0].type)
        lister = _LISTERS.get(child or "")
        return await lister(ctx, item_id) if lister else EMPTY
    if kind == "series":
        return await seasons_page(ctx, item_id)
    if kind == "season":
        rows = await video.episodes(ctx.session, ctx.allowed, item_id)
        return page(await episodes_dto(ctx, rows), len(rows), 0)
    if kind == "album":
        found = await music.album(ctx.session, ctx.allowed, ctx.user_id, item_id)
        songs = found[1] if found else []
        return page([shapes.track(s, ctx.server) for s in songs], len(songs), 0)
    if kind == "artist":
        found_artist = await music.artist(ctx.session, ctx.allowed, ctx.user_id, item_id)
        albums = found_artist[1] if found_artist else []
        return page([shapes.album(a, ctx.server) for a in albums], len(albums), 0)
    return EMPTY


async def seasons_page(ctx: Ctx, series_id: uuid.UUID) -> Dto:
    show = await video.series(ctx.session, ctx.allowed, series_id)
    rows = await video.seasons(ctx.session, ctx.allowed, series_id)
    return page([shapes.season(s, show, ctx.server, n) for s, n in rows], len(rows), 0)


async def by_keys(ctx: Ctx, keys: list[tuple[str, uuid.UUID]]) -> list[Dto]:
    """Items by (kind, id), in that order; hidden and unknown ones are left out."""
    out: dict[tuple[str, uuid.UUID], Dto] = {}
    for kind, item_id in keys:
        if kind == "movie" and (m := await video.movie(ctx.session, ctx.allowed, item_id)):
            out[(kind, item_id)] = (await movies_dto(ctx, [m]))[0]
        elif kind == "episode" and (e := await video.episode(ctx.session, ctx.allowed, item_id)):
            out[(kind, item_id)] = (await episodes_dto(ctx, [e]))[0]
        elif kind == "series" and (s := await video.series(ctx.session, ctx.allowed, item_id)):
            out[(kind, item_id)] = (await series_dto(ctx, [s]))[0]
        elif kind == "season" and (se := await video.season(ctx.session, ctx.allowed, item_id)):
            show = await video.series(ctx.session, ctx.allowed, se.series_id)
            out[(kind, item_id)] = shapes.season(se, show, ctx.server)
        elif kind == "library":
            libs = await visible_libraries(ctx.session, ctx.allowed)
            out.update({(kind, x.id): shapes.library(x, ctx.server) for x in libs
                        if x.id == item_id})  # fmt: skip
    await _music_keys(ctx, keys, out)
    return [out[k] for k in keys if k in out]


async def _music_keys(
    ctx: Ctx, keys: list[tuple[str, uuid.UUID]], out: dict[tuple[str, uuid.UUID], Dto]
) -> None:
    ids = {kind: [i for k, i in keys if k == kind] for kind in ("album", "track", "artist")}
    for row in await music.albums(ctx.session, ctx.user_id, ids["album"]):
        if ctx.allowed is None or row.library_id in ctx.allowed:
            out[("album", row.id)] = shapes.album(row, ctx.server)
    for row in await music.tracks(ctx.session, ctx.allowed, ctx.user_id, ids["track"]):
        out[("track", row.id)] = shapes.track(row, ctx.server)
    if ids["artist"]:
        for row in await music.artists(ctx.session, ctx.allowed, ctx.user_id, ids["artist"]):
            out[("artist", row.id)] = shapes.artist(row, ctx.server)


async def search(ctx: Ctx, text: str, kinds: tuple[str, ...], limit: int) -> list[Dto]:
    query = SearchQuery(text[:200], kinds, limit=max(1, min(limit, 100)), counted=False)
    result = await search_index(ctx.runtime).search(ctx.session, query, ctx.allowed)
    return await by_keys(ctx, [(h.item_type, h.item_id) for h in result.hits])


async def query_items(ctx: Ctx) -> Dto:
    """`/Items` as clients call it: by ids, search, parent, or item types."""
    if ctx.q.get("GenreIds") or ctx.q.get("PersonIds") or ctx.q.get("StudioIds"):
        return EMPTY  # genres, people and studios are not items here
    types = [TYPES[t] for t in ctx.q.words("IncludeItemTypes") if t in TYPES]
    if "playlist" in ctx.q.words("IncludeItemTypes"):
        from revenge.compat.jellyfin.marks import playlists_page

        return await playlists_page(ctx)
    if ctx.q.words("IncludeItemTypes") and not types:
        return EMPTY  # only kinds this server does not have (BoxSet, Playlist, ...)
    if ctx.q.get("Ids") is not None:
        found = await by_keys(ctx, parse_many(ctx.q.get("Ids")))
        return page(found, len(found), 0)
    if "isresumable" in ctx.q.words("Filters"):
        return await resume(ctx)
    if ctx.q.get("SearchTerm"):
        start, limit = _page_args(ctx)
        hits = await search(ctx, ctx.q.get("SearchTerm") or "", tuple(types), start + limit)
        return page(hits[start:], len(hits), start)
    parent = parse(ctx.q.get("ParentId"))
    if ctx.q.get("ParentId") and parent is None:
        return EMPTY
    if parent is not None and not (parent[0] == "library" and types):
        return await _children(ctx, *parent)
    library_id = parent[1] if parent else None
    if not types:
        return await views(ctx) if parent is None else EMPTY
    return await _LISTERS[types[0]](ctx, library_id) if types[0] in _LISTERS else EMPTY


@router.get("/Items")
@router.get("/Users/{user_id}/Items")
async def items(request: Request) -> Dto:
    async with context(request, reading=True) as ctx:
        return await query_items(ctx)


async def resume(ctx: Ctx) -> Dto:
    start, limit = _page_args(ctx)
    rows = await home.in_progress(ctx.session, ctx.user_id, ctx.allowed, start + limit)
    found = await by_keys(ctx, [(kind, row.id) for kind, row, _, _ in rows])
    return page(found[start:], len(found), start)


@router.get("/UserItems/Resume")
@router.get("/Users/{user_id}/Items/Resume")
async def resume_items(request: Request) -> Dto:
    async with context(request, reading=True) as ctx:
        return await resume(ctx)


@router.get("/Items/Latest")
@router.get("/Users/{user_id}/Items/Latest")
async def latest(request: Request) -> list[Dto]:
    """A bare list, as Jellyfin answers it."""
    async with context(request, reading=True) as ctx:
        limit = ctx.q.integer("Limit", 20, 1, 100)
        parent = parse(ctx.q.get("ParentId"))
        rows = await home.recently_added(ctx.session, ctx.allowed, 100 if parent else limit)
        if parent is not None:
            rows = [(k, r) for k, r in rows if getattr(r, "library_id", None) == parent[1]]
        return await by_keys(ctx, [(k, r.id) for k, r in rows[:limit]])


@router.get("/Shows/NextUp")
async def next_up(request: Request) -> Dto:
    async with context(request, reading=True) as ctx:
        start, limit = _page_args(ctx)
        rows = await home.next_up(ctx.session, ctx.user_id, ctx.allowed, start + limit)
        wanted = parse(ctx.q.get("SeriesId"))
        if wanted is not None:
            rows = [r for r in rows if r.series_id == wanted[1]]
        found = await episodes_dto(ctx, rows[start:])
        return page(found, len(rows), start)


@router.get("/Shows/{series_id}/Seasons")
async def show_seasons(series_id: str, request: Request) -> Dto:
    async with context(request, reading=True) as ctx:
        found = parse(series_id)
        return await seasons_page(ctx, found[1]) if found and found[0] == "series" else EMPTY


@router.get("/Shows/{series_id}/Episodes")
async def show_episodes(series_id: str, request: Request) -> Dto:
    async with context(request, reading=True) as ctx:
        found = parse(series_id)
        if found is None or found[0] != "series":
            return EMPTY
        season = parse(ctx.q.get("SeasonId"))
        if season is not None:
            rows = await video.episodes(ctx.session, ctx.allowed, season[1])
            rows = [r for r in rows if r.series_id == found[1]]
        else:
            rows = await video.series_episodes(ctx.session, ctx.allowed, found[1])
        number = ctx.q.get("Season")
        if number is not None and number.isdigit():
            rows = [r for r in rows if r.season_number == int(number)]
        start, limit = _page_args(ctx)
        return page(await episodes_dto(ctx, rows[start:][:limit]), len(rows), start)


async def one(ctx: Ctx, item_id: str) -> Dto:
    """A single item the caller may see; anything else is not found."""
    key = parse(item_id)
    found = await by_keys(ctx, [key]) if key else []
    if not found:
        raise NotFound("Item not found.")
    return found[0]


@router.get("/Items/{item_id}")
@router.get("/Users/{user_id}/Items/{item_id}")
async def item(item_id: str, request: Request) -> Dto:
    async with context(request, reading=True) as ctx:
        dto = await one(ctx, item_id)
        if dto.get("MediaType") == "Video" and "mediasources" in ctx.q.words("Fields"):
            from revenge.compat.jellyfin.media import media_sources

            dto["MediaSources"] = await media_sources(ctx, item_id)
        return dto


@router.get("/Search/Hints")
async def search_hints(request: Request) -> Dto:
    async with context(request, reading=True) as ctx:
        term = ctx.q.get("SearchTerm") or ""
        types = tuple(TYPES[t] for t in ctx.q.words("IncludeItemTypes") if t in TYPES)
        found = await search(ctx, term, types, ctx.q.integer("Limit", 20, 1, 100)) if term else []
        hints = [
            {"ItemId": d["Id"], "Id": d["Id"], "Name": d["Name"], "Type": d["Type"],
             "MediaType": d.get("MediaType"), "ProductionYear": d.get("ProductionYear"),
             "RunTimeTicks": d.get("RunTimeTicks"), "Series": d.get("SeriesName"),
             "Album": d.get("Album"), "AlbumArtist": d.get("AlbumArtist"),
             "PrimaryImageTag": d["ImageTags"].get("Primary"), "IsFolder": d.get("IsFolder")}
            for d in found
        ]  # fmt: skip
        return {"SearchHints": hints, "TotalRecordCount": len(hints)}
