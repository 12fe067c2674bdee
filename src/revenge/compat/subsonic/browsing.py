"""Browsing methods: folders, artists, albums, songs, album lists, genres, search."""

from __future__ import annotations

import uuid
from typing import Any

from revenge.catalog.music import service as music
from revenge.compat.subsonic import shapes
from revenge.compat.subsonic.params import folder_id
from revenge.compat.subsonic.protocol import MISSING_PARAMETER, Payload, SubsonicError
from revenge.compat.subsonic.registry import Ctx, method
from revenge.scanning.service import visible_libraries
from revenge.search.index import SearchQuery
from revenge.search.service import search_index

IGNORED_ARTICLES = "The El La Los Las Le Les Die Der Das"
EXTENSIONS = ("apiKeyAuthentication", "formPost", "songLyrics", "transcodeOffset")


@method("ping", public=False)
async def ping(ctx: Ctx) -> Payload:
    return {}


@method("getLicense")
async def get_license(ctx: Ctx) -> Payload:
    return {"license": {"valid": True}}


@method("getOpenSubsonicExtensions", public=True)
async def get_extensions(ctx: Ctx) -> Payload:
    return {"openSubsonicExtensions": [{"name": n, "versions": [1]} for n in EXTENSIONS]}


async def music_scope(ctx: Ctx) -> set[uuid.UUID] | None:
    """The caller's libraries, narrowed to `musicFolderId` when given."""
    wanted = ctx.params.opt_int("musicFolderId")
    if wanted is None:
        return ctx.allowed
    for lib in await visible_libraries(ctx.session, ctx.allowed):
        if folder_id(lib.id) == wanted:
            return {lib.id}
    return set()


@method("getMusicFolders")
async def get_music_folders(ctx: Ctx) -> Payload:
    libs = await visible_libraries(ctx.session, ctx.allowed, ("music",))
    return {
        "musicFolders": {"musicFolder": [{"id": folder_id(x.id), "name": x.name} for x in libs]}
    }


def _first_letter(name: str) -> str:
    words = name.split()
    if len(words) > 1 and words[0] in IGNORED_ARTICLES.split():
        name = " ".join(words[1:])
    letter = name[:1].upper()
    return letter if letter.isalpha() else "#"


def _indexed(rows: list[Any]) -> list[Payload]:
    groups: dict[str, list[Payload]] = {}
    for row in rows:
        groups.setdefault(_first_letter(row.sort_name or row.name), []).append(shapes.artist(row))
    return [{"name": letter, "artist": artists} for letter, artists in groups.items()]


@method("getArtists")
async def get_artists(ctx: Ctx) -> Payload:
    rows = await music.artists(ctx.session, await music_scope(ctx), ctx.user_id)
    return {"artists": {"ignoredArticles": IGNORED_ARTICLES, "index": _indexed(rows)}}


@method("getIndexes")
async def get_indexes(ctx: Ctx) -> Payload:
    rows = await music.artists(ctx.session, await music_scope(ctx), ctx.user_id)
    return {"indexes": {"lastModified": 0, "ignoredArticles": IGNORED_ARTICLES,
                        "index": _indexed(rows)}}  # fmt: skip


@method("getArtist")
async def get_artist(ctx: Ctx) -> Payload:
    row, albums = await ctx.named("artist", "Artist", music.artist)
    return {"artist": {**shapes.artist(row), "album": [shapes.album(a) for a in albums]}}


@method("getAlbum")
async def get_album(ctx: Ctx) -> Payload:
    row, songs = await ctx.named("album", "Album", music.album)
    return {"album": {**shapes.album(row), "song": [shapes.song(s) for s in songs]}}


@method("getSong")
async def get_song(ctx: Ctx) -> Payload:
    return {"song": shapes.song(await song(ctx))}


async def song(ctx: Ctx) -> Any:
    """The track the `id` parameter names (not found when hidden)."""
    (found,) = await ctx.named("track", "Song", music.track)
    return found


def _list_filters(ctx: Ctx, kind: str) -> dict[str, Any]:
    if kind == "byGenre":
        return {"genre": ctx.params.need("genre")}
    if kind == "byYear":
        low, high = ctx.params.need("fromYear"), ctx.params.need("toYear")
        del low, high
        return {"from_year": ctx.params.integer("fromYear", 0, 0, 9999),
                "to_year": ctx.params.integer("toYear", 0, 0, 9999)}  # fmt: skip
    return {}


@method("getAlbumList2")
async def get_album_list2(ctx: Ctx) -> Payload:
    kind = ctx.params.need("type")
    if kind not in music.ALBUM_LIST_KINDS:
        raise SubsonicError(0, f"Unknown album list type {kind[:50]!r}.")
    size, offset = ctx.params.integer("size", 10, 0, 500), ctx.params.integer("offset", 0)
    rows = await music.album_list(
        ctx.session, await music_scope(ctx), ctx.user_id, kind, size, offset,
        _list_filters(ctx, kind),
    )  # fmt: skip
    return {"albumList2": {"album": [shapes.album(r) for r in rows]}}


@method("getRandomSongs")
async def get_random_songs(ctx: Ctx) -> Payload:
    filters: dict[str, Any] = {}
    if ctx.params.get("genre"):
        filters["genre"] = ctx.params.get("genre")
    for name, key in (("fromYear", "from_year"), ("toYear", "to_year")):
        if ctx.params.get(name):
            filters[key] = ctx.params.integer(name, 0, 0, 9999)
    size = ctx.params.integer("size", 10, 0, 500)
    rows = await music.random_tracks(
        ctx.session, await music_scope(ctx), ctx.user_id, size, filters
    )
    return {"randomSongs": {"song": [shapes.song(r) for r in rows]}}


@method("getGenres")
async def get_genres(ctx: Ctx) -> Payload:
    rows = await music.genres(ctx.session, ctx.allowed)
    genres = [{"value": r.name, "songCount": r.songs, "albumCount": r.albums} for r in rows]
    return {"genres": {"genre": genres}}


@method("search3")
async def search3(ctx: Ctx) -> Payload:
    p = ctx.params
    if p.get("query") is None:
        raise SubsonicError(MISSING_PARAMETER, "Required parameter 'query' is missing.")
    text = (p.get("query") or "").strip().strip('"').strip()
    scope = await music_scope(ctx)
    counts = {k: p.integer(f"{k}Count", 20, 0, 500) for k in ("artist", "album", "song")}
    offsets = {k: p.integer(f"{k}Offset", 0) for k in ("artist", "album", "song")}
    if not text:  # clients list everything this way to sync a whole library
        return {"searchResult3": await _everything(ctx, scope, counts, offsets)}
    ids = await _search(ctx, scope, text, {k: counts[k] + offsets[k] for k in counts})
    artists = await music.artists(
        ctx.session, scope, ctx.user_id, ids["artist"][offsets["artist"] :]
    )
    albums = await music.albums(ctx.session, ctx.user_id, ids["album"][offsets["album"] :])
    songs = await music.tracks(ctx.session, scope, ctx.user_id, ids["song"][offsets["song"] :])
    return {"searchResult3": {
        "artist": [shapes.artist(a) for a in artists],
        "album": [shapes.album(a) for a in albums],
        "song": [shapes.song(s) for s in songs],
    }}  # fmt: skip


_TYPES = {"artist": "artist", "album": "album", "song": "track"}


async def _search(
    ctx: Ctx, scope: set[uuid.UUID] | None, text: str, wanted: dict[str, int]
) -> dict[str, list[uuid.UUID]]:
    """Ids per kind, best first: one search over all three kinds, then a search of one kind
    only where that kind has more matches than the shared page held (one query instead of
    three in the common case; a kind-filtered search is the slower plan)."""
    index = search_index(ctx.runtime)
    total = min(sum(wanted.values()), 1000)
    found: dict[str, list[uuid.UUID]] = {k: [] for k in wanted}
    if total <= 0:
        return found
    kinds = tuple(_TYPES[k] for k in wanted)
    shared = await index.search(ctx.session, SearchQuery(text[:200], kinds, limit=total), scope)
    by_type = {_TYPES[k]: k for k in wanted}
    for hit in shared.hits:
        found[by_type[hit.item_type]].append(hit.item_id)
    for kind, limit in wanted.items():
        have = len(found[kind])
        if have < limit and shared.totals.get(_TYPES[kind], 0) > have:
            query = SearchQuery(text[:200], (_TYPES[kind],), limit=min(limit, 1000), counted=False)
            hits = (await index.search(ctx.session, query, scope)).hits
            found[kind] = [h.item_id for h in hits]
        found[kind] = found[kind][:limit]
    return found


async def _everything(
    ctx: Ctx, scope: set[uuid.UUID] | None, counts: dict[str, int], offsets: dict[str, int]
) -> Payload:
    artists = await music.artists(ctx.session, scope, ctx.user_id)
    artists = artists[offsets["artist"] :][: counts["artist"]]
    albums = await music.album_list(
        ctx.session, scope, ctx.user_id, "alphabeticalByName", counts["album"],
        offsets["album"], {},
    )  # fmt: skip
    songs = await music.all_tracks(ctx.session, scope, ctx.user_id, counts["song"], offsets["song"])
    return {
        "artist": [shapes.artist(a) for a in artists],
        "album": [shapes.album(a) for a in albums],
        "song": [shapes.song(s) for s in songs],
    }


@method("getStarred2")
async def get_starred2(ctx: Ctx) -> Payload:
    artists, albums, songs = await music.starred(ctx.session, await music_scope(ctx), ctx.user_id)
    return {"starred2": {
        "artist": [shapes.artist(a) for a in artists],
        "album": [shapes.album(a) for a in albums],
        "song": [shapes.song(s) for s in songs],
    }}  # fmt: skip
