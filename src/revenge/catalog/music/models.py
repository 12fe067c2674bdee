"""Music: artists -> albums -> tracks. Album artist and track artist are both kept."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.columns import (
    CatalogRow,
    MetadataState,
    Titled,
    grouped,
    listed,
    locked_fields,
    parent_fk,
    text_array,
)
from revenge.infra.db.base import Base, uuid_fk


def _artist_fk() -> Mapped[uuid.UUID | None]:
    return uuid_fk("artists.id", ondelete="SET NULL", index=True)


class Artist(CatalogRow, Base):
    __tablename__ = "artists"
    __table_args__ = (*listed("artists", "sort_name", "name", added=False),)

    name: Mapped[str] = mapped_column(Text, nullable=False)
    sort_name: Mapped[str] = mapped_column(Text, nullable=False)
    musicbrainz_id: Mapped[str | None] = mapped_column(String(36))


class Album(CatalogRow, MetadataState, Titled, Base):
    __tablename__ = "albums"
    __table_args__ = (*listed("albums"), Index("ix_albums_year", "year", "id"))

    album_artist_id: Mapped[uuid.UUID | None] = _artist_fk()
    year: Mapped[int | None] = mapped_column(Integer)
    is_compilation: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    musicbrainz_id: Mapped[str | None] = mapped_column(String(36))
    genres: Mapped[list[str] | None] = text_array()
    locked_fields: Mapped[list[str]] = locked_fields()


class Track(CatalogRow, Base):
    __tablename__ = "tracks"
    __table_args__ = (
        grouped("tracks"),
        Index("ix_tracks_album_order", "album_id", "disc_number", "track_number"),
    )

    album_id: Mapped[uuid.UUID] = parent_fk("albums.id")
    artist_id: Mapped[uuid.UUID | None] = _artist_fk()
    artist_name: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    disc_number: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    track_number: Mapped[int | None] = mapped_column(Integer)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    musicbrainz_id: Mapped[str | None] = mapped_column(String(36))


class TrackArtist(Base):
    """Every artist of a track, in credit order ("A feat. B": A at 0, B at 1)."""

    __tablename__ = "track_artists"
    __table_args__ = (Index("ix_track_artists_artist", "artist_id"),)

    track_id: Mapped[uuid.UUID] = uuid_fk("tracks.id", primary_key=True)
    artist_id: Mapped[uuid.UUID] = uuid_fk("artists.id", primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
