"""SQL the metadata writer needs over albums, their album artist and their tracks."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import metadata_repository as shared
from revenge.catalog.music.models import Album, Artist, Track


async def album(session: AsyncSession, album_id: uuid.UUID) -> tuple[Album, str | None] | None:
    """The album and its album artist's name."""
    stmt = (
        select(Album, Artist.name)
        .outerjoin(Artist, Artist.id == Album.album_artist_id)
        .where(Album.id == album_id)
    )
    row = (await session.execute(stmt)).first()
    return (row[0], row[1]) if row else None


async def album_file(session: AsyncSession, album_id: uuid.UUID) -> str | None:
    tracks = select(Track.id).where(Track.album_id == album_id)
    return await shared.first_file_path(session, "track", tracks)


async def tracks(session: AsyncSession, album_id: uuid.UUID) -> list[Track]:
    return list((await session.execute(select(Track).where(Track.album_id == album_id))).scalars())


async def set_track_ids(session: AsyncSession, ids: dict[uuid.UUID, str]) -> None:
    """MusicBrainz recording ids of tracks that had none (tags win when they carry one)."""
    for track_id, mbid in ids.items():
        await session.execute(
            update(Track)
            .where(Track.id == track_id, Track.musicbrainz_id.is_(None))
            .values(musicbrainz_id=mbid)
        )


async def set_artist_id(session: AsyncSession, artist_id: uuid.UUID, mbid: str) -> None:
    await session.execute(
        update(Artist)
        .where(Artist.id == artist_id, Artist.musicbrainz_id.is_(None))
        .values(musicbrainz_id=mbid, updated_at=func.now())
    )
