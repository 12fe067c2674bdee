"""Music as the native routes read it (pages of artists and albums, an album's tracks) and
as players list it: album lists by kind, tracks with their file, artists, genres.

Every player function takes the caller's visible libraries (`allowed`, None for all) and user id,
so what another user may not see is simply absent; an unknown id and a hidden one look alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.music import lists_repository as repo
from revenge.catalog.music import repository as catalogue
from revenge.catalog.music.models import Album, Track

if TYPE_CHECKING:
    from revenge.catalog.browse import Browse

Allowed = set[uuid.UUID] | None
ALBUM_LIST_KINDS = (
    "random", "newest", "highest", "frequent", "recent", "alphabeticalByName",
    "alphabeticalByArtist", "starred", "byYear", "byGenre",
)  # fmt: skip
_TRACK_ORDER = "t.disc_number, t.track_number NULLS LAST, t.title, t.id"
ARTIST_SORTS = tuple(catalogue.ARTIST_SORTS)
ALBUM_SORTS = tuple(catalogue.ALBUM_SORTS)
# A track and its artists (id, name) in credit order.
Credited = tuple[Track, list[tuple[uuid.UUID, str]]]


async def artist_page(browse: Browse, sort: str) -> tuple[list[Row[Any]], int, str | None]:
    """A page of album artists the caller may see, with the next page's cursor."""
    return await catalogue.list_artists(browse.session, browse, sort)


async def album_page(
    browse: Browse, sort: str, artist_id: uuid.UUID | None
) -> tuple[list[Row[Any]], int, str | None]:
    """A page of albums with their album artist's name (`album_artist`) and track count
    (`track_count`)."""
    return await catalogue.list_albums(browse.session, browse, sort, artist_id)


async def album_with_artist(
    session: AsyncSession, album_id: uuid.UUID, allowed: Allowed
) -> tuple[Album, str | None] | None:
    return await catalogue.get_album(session, album_id, allowed)


async def credited_tracks(session: AsyncSession, album_id: uuid.UUID) -> list[Credited]:
    """An album's tracks in disc and track order, each with its artists."""
    rows = await catalogue.tracks_of(session, album_id)
    return await with_artists(session, rows)


async def with_artists(session: AsyncSession, rows: list[Track]) -> list[Credited]:
    artists = await catalogue.artists_of(session, [t.id for t in rows])
    return [(t, artists[t.id]) for t in rows]


async def album_list(
    session: AsyncSession, allowed: Allowed, user_id: uuid.UUID, kind: str,
    size: int, offset: int, filters: dict[str, Any],
) -> list[Any]:  # fmt: skip
    """One page of albums of a list kind (see ALBUM_LIST_KINDS), in the kind's order, with
    the columns `albums` reads."""
    return await repo.album_page(session, allowed, user_id, kind, size, offset, filters)


async def albums(session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list[Any]:
    """Albums by id, in the order given (ids must already be visible to the caller)."""
    if not ids:
        return []
    found = await repo.albums_by_ids(session, user_id, ids)
    return [found[i] for i in ids if i in found]


async def album(
    session: AsyncSession, allowed: Allowed, user_id: uuid.UUID, album_id: uuid.UUID
) -> tuple[Any, list[Any]] | None:
    """An album and its tracks in disc and track order; None when absent or hidden."""
    rows = await albums(session, user_id, [album_id])
    if not rows or (allowed is not None and rows[0].library_id not in allowed):
        return None
    found = await repo.tracks(
        session, allowed, user_id, "t.album_id = :aid", _TRACK_ORDER, 5000, aid=album_id
    )
    return rows[0], found


async def tracks(
    session: AsyncSession, allowed: Allowed, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Any]:
    """Tracks by id in the order given; hidden ones are left out."""
    if not ids:
        return []
    found = await repo.tracks(
        session, allowed, user_id, "t.id = ANY(:ids)", "t.id", len(ids), ids=list(ids)
    )
    by_id = {r.id: r for r in found}
    return [by_id[i] for i in ids if i in by_id]


async def track(
    session: AsyncSession, allowed: Allowed, user_id: uuid.UUID, track_id: uuid.UUID
) -> list[Any]:
    """The track as a one-row list; [] when absent or hidden."""
    return await tracks(session, allowed, user_id, [track_id])


async def artists(
    session: AsyncSession, allowed: Allowed, user_id: uuid.UUID,
    ids: Sequence[uuid.UUID] | None = None,
) -> list[Any]:  # fmt: skip
    """Album artists with their visible album counts, by sort name (or only those named)."""
    if ids is not None and not ids:
        return []  # none named (a search without artist hits): no statement to run
    found = await repo.artists(session, allowed, user_id, ids)
    if ids is None:
        return found
    by_id = {r.id: r for r in found}
    return [by_id[i] for i in ids if i in by_id]


async def artist(
    session: AsyncSession, allowed: Allowed, user_id: uuid.UUID, artist_id: uuid.UUID
) -> tuple[Any, list[Any]] | None:
    """An artist and their albums (oldest first); None when absent or hidden."""
    found = await repo.artists(session, allowed, user_id, [artist_id])
    if not found:
        return None
    ids = await repo.albums_of_artist(session, allowed, artist_id)
    return found[0], await albums(session, user_id, ids)


async def starred(
    session: AsyncSession, allowed: Allowed, user_id: uuid.UUID
) -> tuple[list[Any], list[Any], list[Any]]:
    """The caller's starred artists, albums and tracks, newest star first."""
    artist_ids = await repo.starred_ids(session, allowed, user_id, "artist")
    album_ids = await repo.starred_ids(session, allowed, user_id, "album")
    track_ids = await repo.starred_ids(session, allowed, user_id, "track")
    return (
        await artists(session, allowed, user_id, artist_ids),
        await albums(session, user_id, album_ids),
        await tracks(session, allowed, user_id, track_ids),
    )


async def genres(session: AsyncSession, allowed: Allowed) -> list[Any]:
    return await repo.genres(session, allowed)


async def random_tracks(
    session: AsyncSession, allowed: Allowed, user_id: uuid.UUID, size: int,
    filters: dict[str, Any],
) -> list[Any]:  # fmt: skip
    ids = await repo.random_track_ids(session, allowed, size, filters)
    return await tracks(session, allowed, user_id, ids)


async def all_tracks(
    session: AsyncSession, allowed: Allowed, user_id: uuid.UUID, size: int, offset: int
) -> list[Any]:
    """Every visible track by title (players that sync the whole library page through it)."""
    return await repo.tracks(session, allowed, user_id, "true", "t.title, t.id", size, offset)
