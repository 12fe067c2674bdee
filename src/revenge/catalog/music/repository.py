"""SQL of the music module."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from psycopg import AsyncConnection
from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.bulk import KeyedUpsert
from revenge.catalog.music.models import Album, Artist, Track, TrackArtist
from revenge.catalog.people.repository import delete_orphan_credits
from revenge.catalog.repository import (
    delete_orphan_states,
    keyset_page,
    keyset_rows,
    no_files_left,
    scoped,
)

if TYPE_CHECKING:
    from revenge.catalog.browse import Browse

ARTIST_SORTS = {"name": Artist.sort_name, "added": Artist.created_at}
ALBUM_SORTS = {"title": Album.sort_title, "year": Album.year, "added": Album.created_at}
_ARTISTS = (("name", "text"), ("sort_name", "text"))
_ALBUMS = (
    ("album_artist_id", "uuid"),
    ("title", "text"),
    ("sort_title", "text"),
    ("year", "int"),
    ("is_compilation", "bool"),
    ("musicbrainz_id", "text"),
)
_TRACKS = (
    ("album_id", "uuid"),
    ("artist_id", "uuid"),
    ("artist_name", "text"),
    ("title", "text"),
    ("disc_number", "int"),
    ("track_number", "int"),
    ("duration_seconds", "float8"),
    ("musicbrainz_id", "text"),
)


upsert_artists = KeyedUpsert("artists", _ARTISTS)


upsert_albums = KeyedUpsert("albums", _ALBUMS)


# Tags are the source of these facts; a retagged file updates its track.
upsert_tracks = KeyedUpsert(
    "tracks", _TRACKS, refresh=("artist_id", "artist_name", "duration_seconds", "musicbrainz_id")
)


async def replace_track_artists(
    conn: AsyncConnection[Any], artists: dict[uuid.UUID, list[uuid.UUID]]
) -> None:
    """Set every listed track's artists, in credit order."""
    if not artists:
        return
    tracks, names, positions = [], [], []
    for track_id, artist_ids in artists.items():
        for position, artist_id in enumerate(artist_ids):
            tracks.append(track_id)
            names.append(artist_id)
            positions.append(position)
    async with conn.cursor() as cur:
        await cur.execute(
            "DELETE FROM track_artists WHERE track_id = ANY(%s::uuid[])", [list(artists)]
        )
        await cur.execute(
            "INSERT INTO track_artists (track_id, artist_id, position)"
            " SELECT * FROM unnest(%s::uuid[], %s::uuid[], %s::int[]) ON CONFLICT DO NOTHING",
            [tracks, names, positions],
        )


async def artists_of(
    session: AsyncSession, track_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[uuid.UUID, str]]]:
    """Each track's artists (id, name) in credit order."""
    rows = await session.execute(
        select(TrackArtist.track_id, Artist.id, Artist.name)
        .join(Artist, Artist.id == TrackArtist.artist_id)
        .where(TrackArtist.track_id.in_(track_ids))
        .order_by(TrackArtist.track_id, TrackArtist.position)
    )
    found: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {t: [] for t in track_ids}
    for track_id, artist_id, name in rows:
        found[track_id].append((artist_id, name))
    return found


async def delete_orphans(session: AsyncSession) -> int:
    """Delete tracks without files, albums without tracks, artists credited nowhere."""
    used_by_album = select(Album.id).where(Album.album_artist_id == Artist.id).exists()
    used_by_track = select(Track.id).where(Track.artist_id == Artist.id).exists()
    used_by_credit = select(TrackArtist.track_id).where(TrackArtist.artist_id == Artist.id)
    removed = 0
    for stmt in (
        delete(Track).where(no_files_left(Track.id)),
        delete(Album).where(~select(Track.id).where(Track.album_id == Album.id).exists()),
        delete(Artist).where(~or_(used_by_album, used_by_track, used_by_credit.exists())),
    ):
        result = await session.execute(stmt)
        removed += int(getattr(result, "rowcount", 0) or 0)
    removed += await delete_orphan_credits(session, "album", Album.__table__)
    return removed + await delete_orphan_states(session, "track", Track.__table__)


async def list_artists(
    session: AsyncSession, browse: Browse, sort: str, album_artists_only: bool = True
) -> tuple[list[Artist], int, str | None]:
    """A page of artists the caller may see, with the cursor of the next page."""
    stmt = scoped(select(Artist), Artist.library_id, browse.allowed, browse.library_id)
    if album_artists_only:
        stmt = stmt.where(select(Album.id).where(Album.album_artist_id == Artist.id).exists())
    return await keyset_page(
        session, stmt, Artist.id, ARTIST_SORTS[sort], sort, browse.descending, browse.limit,
        browse.offset, browse.cursor, browse.counter(per_user=False),
    )  # fmt: skip


async def get_artist(
    session: AsyncSession, artist_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> Artist | None:
    stmt = scoped(select(Artist).where(Artist.id == artist_id), Artist.library_id, allowed, None)
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_albums(
    session: AsyncSession, browse: Browse, sort: str, artist_id: uuid.UUID | None = None
) -> tuple[list[tuple[Album, str | None, int]], int, str | None]:
    """Albums with their album artist's name and track count, and the next page's cursor."""
    tracks = select(func.count()).where(Track.album_id == Album.id).scalar_subquery()
    stmt = select(Album, Artist.name, tracks).outerjoin(Artist, Artist.id == Album.album_artist_id)
    stmt = scoped(stmt, Album.library_id, browse.allowed, browse.library_id)
    if artist_id is not None:
        stmt = stmt.where(Album.album_artist_id == artist_id)
    rows, total, following = await keyset_rows(
        session, stmt, Album.id, ALBUM_SORTS[sort], sort, browse.descending, browse.limit,
        browse.offset, browse.cursor, browse.counter(per_user=False),
    )  # fmt: skip
    return [(a, name, int(n)) for a, name, n in rows], total, following


async def get_album(
    session: AsyncSession, album_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> tuple[Album, str | None] | None:
    stmt = select(Album, Artist.name).outerjoin(Artist, Artist.id == Album.album_artist_id)
    stmt = scoped(stmt.where(Album.id == album_id), Album.library_id, allowed, None)
    row = (await session.execute(stmt)).first()
    return (row[0], row[1]) if row else None


async def tracks_of(session: AsyncSession, album_id: uuid.UUID) -> list[Track]:
    rows = await session.execute(
        select(Track)
        .where(Track.album_id == album_id)
        .order_by(Track.disc_number, Track.track_number.nulls_last(), Track.title)
    )
    return list(rows.scalars())


async def get_track(
    session: AsyncSession, track_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> Track | None:
    stmt = scoped(select(Track).where(Track.id == track_id), Track.library_id, allowed, None)
    return (await session.execute(stmt)).scalar_one_or_none()
