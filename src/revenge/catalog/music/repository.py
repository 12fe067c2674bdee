"""SQL of the music module."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from psycopg import AsyncConnection
from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import repository as shared
from revenge.catalog.bulk import KeyedUpsert, replace_children
from revenge.catalog.music.models import Album, Artist, Track, TrackArtist

ARTIST_SORTS = shared.sorts(Artist, "name", "added")
ALBUM_SORTS = shared.sorts(Album, "title", "year", "added")


upsert_artists = KeyedUpsert.of(Artist, "name", "sort_name")


upsert_albums = KeyedUpsert.of(
    Album, "album_artist_id", "title", "sort_title", "year", "is_compilation", "musicbrainz_id"
)


# Tags are the source of these facts; a retagged file updates its track.
upsert_tracks = KeyedUpsert.of(
    Track, "album_id", "artist_id", "artist_name", "title", "disc_number", "track_number",
    "duration_seconds", "musicbrainz_id",
    refresh=("artist_id", "artist_name", "duration_seconds", "musicbrainz_id"),
)  # fmt: skip


async def replace_track_artists(
    conn: AsyncConnection[Any], artists: dict[uuid.UUID, list[uuid.UUID]]
) -> None:
    """Set every listed track's artists, in credit order."""
    rows = [
        (track_id, artist_id, position)
        for track_id, artist_ids in artists.items()
        for position, artist_id in enumerate(artist_ids)
    ]
    await replace_children(
        conn,
        TrackArtist,
        ("track_id", "artist_id", "position"),
        artists,
        rows,
        skip_conflicts=True,
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
    deletes = (
        delete(Track).where(shared.no_files_left(Track.id)),
        delete(Album).where(~select(Track.id).where(Track.album_id == Album.id).exists()),
        delete(Artist).where(~or_(used_by_album, used_by_track, used_by_credit.exists())),
    )
    return await shared.purge_orphans(
        session, deletes, states=[("track", Track)], credits=[("album", Album)]
    )


def _artists(album_artists_only: bool) -> Select[Any]:
    stmt = shared.listing(Artist)
    if album_artists_only:
        stmt = stmt.where(select(Album.id).where(Album.album_artist_id == Artist.id).exists())
    return stmt


async def list_artists(
    session: AsyncSession, browse: shared.Window, sort: str, album_artists_only: bool = True
) -> tuple[list[Any], int, str | None]:
    """A page of artists the caller may see (rows of the table's columns), with the cursor
    of the next page."""
    return await shared.keyset_rows(
        session, ("artists", album_artists_only), partial(_artists, album_artists_only),
        Artist, ARTIST_SORTS[sort], sort, browse,
    )  # fmt: skip


def _albums(of_artist: bool) -> Select[Any]:
    tracks = select(func.count()).where(Track.album_id == Album.id).scalar_subquery()
    extra = (Artist.name.label("album_artist"), tracks.label("track_count"))
    stmt = shared.listing(Album, *extra).outerjoin(Artist, Artist.id == Album.album_artist_id)
    if of_artist:
        stmt = stmt.where(Album.album_artist_id == shared.param("artist_id", Album.album_artist_id))
    return stmt


async def list_albums(
    session: AsyncSession, browse: shared.Window, sort: str, artist_id: uuid.UUID | None = None
) -> tuple[list[Any], int, str | None]:
    """Albums (rows of the table's columns) with their album artist's name (`album_artist`)
    and track count (`track_count`), and the next page's cursor."""
    of_artist = artist_id is not None
    return await shared.keyset_rows(
        session, ("albums", of_artist), partial(_albums, of_artist), Album,
        ALBUM_SORTS[sort], sort, browse, values={"artist_id": artist_id},
    )  # fmt: skip


async def get_album(
    session: AsyncSession, album_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> tuple[Album, str | None] | None:
    """The album with its album artist's name."""
    stmt = select(Album, Artist.name).outerjoin(Artist, Artist.id == Album.album_artist_id)
    row = await shared.visible_first(session, stmt, Album, album_id, allowed)
    return (row[0], row[1]) if row else None


async def tracks_of(session: AsyncSession, album_id: uuid.UUID) -> list[Track]:
    order = (Track.disc_number, Track.track_number.nulls_last(), Track.title)
    return await shared.children(session, Track.album_id, album_id, order)
