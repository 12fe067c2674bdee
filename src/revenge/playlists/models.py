"""Video and audio playlists, owned by a user, with ordered items."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Boolean, CheckConstraint, Float, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from revenge.infra.db.base import Base, created_ts, updated_ts, uuid_fk, uuid_pk


class _PlaylistColumns:
    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = uuid_fk("users.id", nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    is_public: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class VideoPlaylist(_PlaylistColumns, Base):
    __tablename__ = "video_playlists"


class AudioPlaylist(_PlaylistColumns, Base):
    __tablename__ = "audio_playlists"


class _ItemColumns:
    """A playlist's ordered item: the playlist it is in (`playlists`, deleted with it), the
    item by type (one of `types`, at most `type_length` characters) and id, and its place."""

    __tablename__: Any
    playlists: ClassVar[str]
    types: ClassVar[tuple[str, ...]]
    type_length: ClassVar[int]

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        kinds = ", ".join(f"'{t}'" for t in cls.types)
        return (
            CheckConstraint(f"item_type IN ({kinds})", name="item_type"),
            Index(f"ix_{cls.__tablename__}_playlist_position", "playlist_id", "position"),
        )

    id: Mapped[uuid.UUID] = uuid_pk()

    @declared_attr
    def playlist_id(cls) -> Mapped[uuid.UUID]:
        return uuid_fk(f"{cls.playlists}.id", nullable=False)

    @declared_attr
    def item_type(cls) -> Mapped[str]:
        return mapped_column(String(cls.type_length), nullable=False)

    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    # Fractional positions: moving one item writes one row, not the whole list.
    position: Mapped[float] = mapped_column(Float, nullable=False)
    added_at: Mapped[datetime] = created_ts()


class VideoPlaylistItem(_ItemColumns, Base):
    __tablename__ = "video_playlist_items"
    playlists, types, type_length = "video_playlists", ("movie", "episode"), 16


class AudioPlaylistItem(_ItemColumns, Base):
    __tablename__ = "audio_playlist_items"
    playlists, type_length = "audio_playlists", 24
    types = ("track", "audiobook", "audiobook_chapter", "podcast_episode")

    # For an audiobook chapter: item_id is the audiobook, chapter the chapter's position.
    chapter: Mapped[int | None] = mapped_column(Integer)
