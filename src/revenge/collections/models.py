"""Video and audio collections per library, with ordered members."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, created_ts, updated_ts, uuid_pk


class _CollectionColumns:
    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("libraries.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32), nullable=False, server_default="manual")
    external_id: Mapped[str | None] = mapped_column(String(64))
    image_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


def _external(table: str) -> Index:
    """One automatic collection per provider id and library (ensure_collection relies on it)."""
    return Index(
        f"uq_{table}_external", "library_id", "source", "external_id", unique=True,
        postgresql_where=text("external_id IS NOT NULL"),
    )  # fmt: skip


class VideoCollection(_CollectionColumns, Base):
    __tablename__ = "video_collections"
    __table_args__ = (_external("video_collections"),)


class AudioCollection(_CollectionColumns, Base):
    __tablename__ = "audio_collections"
    __table_args__ = (_external("audio_collections"),)


class VideoCollectionMovie(Base):
    __tablename__ = "video_collection_movies"

    collection_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("video_collections.id", ondelete="CASCADE"), primary_key=True
    )
    movie_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    position: Mapped[float] = mapped_column(Float, nullable=False)


class VideoCollectionEpisode(Base):
    __tablename__ = "video_collection_episodes"

    collection_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("video_collections.id", ondelete="CASCADE"), primary_key=True
    )
    episode_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    position: Mapped[float] = mapped_column(Float, nullable=False)


class AudioCollectionTrack(Base):
    __tablename__ = "audio_collection_tracks"

    collection_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("audio_collections.id", ondelete="CASCADE"), primary_key=True
    )
    track_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    position: Mapped[float] = mapped_column(Float, nullable=False)


class AudioCollectionAudiobook(Base):
    __tablename__ = "audio_collection_audiobooks"

    collection_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("audio_collections.id", ondelete="CASCADE"), primary_key=True
    )
    audiobook_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    position: Mapped[float] = mapped_column(Float, nullable=False)


class VideoCollectionSeries(Base):
    """A whole series as one member (its episodes are not listed one by one)."""

    __tablename__ = "video_collection_series"

    collection_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("video_collections.id", ondelete="CASCADE"), primary_key=True
    )
    series_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    position: Mapped[float] = mapped_column(Float, nullable=False)


class AudioCollectionAlbum(Base):
    """A whole album as one member."""

    __tablename__ = "audio_collection_albums"

    collection_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("audio_collections.id", ondelete="CASCADE"), primary_key=True
    )
    album_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    position: Mapped[float] = mapped_column(Float, nullable=False)
