"""Music: artists -> albums -> tracks. Album artist and track artist are both kept."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.columns import (
    group_key,
    library_fk,
    locked_fields,
    metadata_fetched_at,
    metadata_reason,
    metadata_status,
    parent_fk,
    text_array,
)
from revenge.infra.db.base import Base, created_ts, updated_ts, uuid_pk


def _artist_fk() -> Mapped[uuid.UUID | None]:
    return mapped_column(
        UUID(as_uuid=True), ForeignKey("artists.id", ondelete="SET NULL"), index=True
    )


class Artist(Base):
    __tablename__ = "artists"
    __table_args__ = (
        Index("uq_artists_library_group", "library_id", "group_key", unique=True),
        Index("ix_artists_library_sort", "library_id", "sort_name"),
        Index("ix_artists_name_order", "sort_name", "id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = library_fk()
    group_key: Mapped[str] = group_key()
    name: Mapped[str] = mapped_column(Text, nullable=False)
    sort_name: Mapped[str] = mapped_column(Text, nullable=False)
    musicbrainz_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class Album(Base):
    __tablename__ = "albums"
    __table_args__ = (
        Index("uq_albums_library_group", "library_id", "group_key", unique=True),
        Index("ix_albums_library_sort", "library_id", "sort_title"),
        Index("ix_albums_title_order", "sort_title", "id"),
        Index("ix_albums_added", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = library_fk()
    group_key: Mapped[str] = group_key()
    album_artist_id: Mapped[uuid.UUID | None] = _artist_fk()
    title: Mapped[str] = mapped_column(Text, nullable=False)
    sort_title: Mapped[str] = mapped_column(Text, nullable=False)
    year: Mapped[int | None] = mapped_column(Integer)
    is_compilation: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    musicbrainz_id: Mapped[str | None] = mapped_column(String(36))
    genres: Mapped[list[str] | None] = text_array()
    locked_fields: Mapped[list[str]] = locked_fields()
    metadata_status: Mapped[str | None] = metadata_status()
    metadata_reason: Mapped[str | None] = metadata_reason()
    metadata_fetched_at: Mapped[datetime | None] = metadata_fetched_at()
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class Track(Base):
    __tablename__ = "tracks"
    __table_args__ = (
        Index("uq_tracks_library_group", "library_id", "group_key", unique=True),
        Index("ix_tracks_album_order", "album_id", "disc_number", "track_number"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = library_fk()
    group_key: Mapped[str] = group_key()
    album_id: Mapped[uuid.UUID] = parent_fk("albums.id")
    artist_id: Mapped[uuid.UUID | None] = _artist_fk()
    artist_name: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    disc_number: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    track_number: Mapped[int | None] = mapped_column(Integer)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    musicbrainz_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class TrackArtist(Base):
    """Every artist of a track, in credit order ("A feat. B": A at 0, B at 1)."""

    __tablename__ = "track_artists"
    __table_args__ = (Index("ix_track_artists_artist", "artist_id"),)

    track_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tracks.id", ondelete="CASCADE"), primary_key=True
    )
    artist_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("artists.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
