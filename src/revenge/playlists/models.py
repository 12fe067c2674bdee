"""Video and audio playlists, owned by a user, with ordered items."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, created_ts, updated_ts, uuid_pk


class _PlaylistColumns:
    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    is_public: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class VideoPlaylist(_PlaylistColumns, Base):
    __tablename__ = "video_playlists"


class AudioPlaylist(_PlaylistColumns, Base):
    __tablename__ = "audio_playlists"


class VideoPlaylistItem(Base):
    __tablename__ = "video_playlist_items"
    __table_args__ = (
        CheckConstraint("item_type IN ('movie', 'episode')", name="item_type"),
        Index("ix_video_playlist_items_playlist_position", "playlist_id", "position"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    playlist_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("video_playlists.id", ondelete="CASCADE"), nullable=False
    )
    item_type: Mapped[str] = mapped_column(String(16), nullable=False)
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    # Fractional positions: moving one item writes one row, not the whole list.
    position: Mapped[float] = mapped_column(Float, nullable=False)
    added_at: Mapped[datetime] = created_ts()


class AudioPlaylistItem(Base):
    __tablename__ = "audio_playlist_items"
    __table_args__ = (
        CheckConstraint(
            "item_type IN ('track', 'audiobook', 'audiobook_chapter', 'podcast_episode')",
            name="item_type",
        ),
        Index("ix_audio_playlist_items_playlist_position", "playlist_id", "position"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    playlist_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("audio_playlists.id", ondelete="CASCADE"), nullable=False
    )
    item_type: Mapped[str] = mapped_column(String(24), nullable=False)
    # For an audiobook chapter: item_id is the audiobook, chapter the chapter's position.
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    chapter: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[float] = mapped_column(Float, nullable=False)
    added_at: Mapped[datetime] = created_ts()
