"""Libraries, their folders, their scans and per-user access."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, Timestamps, created_ts, uuid_fk, uuid_pk


class Library(Timestamps, Base):
    __tablename__ = "libraries"
    __table_args__ = (
        CheckConstraint(
            "type IN ('movie', 'tv', 'music', 'audiobook', 'podcast')", name="library_type"
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="true")
    scan_settings: Mapped[dict[str, Any]] = mapped_column(
        JSONB, nullable=False, server_default=text("'{}'::jsonb")
    )
    preferred_language: Mapped[str | None] = mapped_column(String(16))


class LibraryPath(Base):
    __tablename__ = "library_paths"

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = uuid_fk("libraries.id", nullable=False, index=True)
    path: Mapped[str] = mapped_column(Text, nullable=False, unique=True)


class LibraryFolder(Base):
    """A folder a scan listed, with its mtime: incremental scans skip it while unchanged."""

    __tablename__ = "library_folders"

    library_id: Mapped[uuid.UUID] = uuid_fk("libraries.id", primary_key=True)
    path: Mapped[str] = mapped_column(Text, primary_key=True)
    # None: list the folder on every scan (reached through a link, or changed too recently).
    mtime_ns: Mapped[int | None] = mapped_column(BigInteger)


class LibraryScan(Base):
    __tablename__ = "library_scans"
    __table_args__ = (
        Index("ix_library_scans_library_started", "library_id", text("started_at DESC")),
        CheckConstraint("type IN ('full', 'incremental')", name="scan_type"),
        CheckConstraint(
            "status IN ('queued', 'running', 'completed', 'failed', 'cancelled')",
            name="scan_status",
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = uuid_fk("libraries.id", nullable=False)
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="queued")
    files_seen: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    files_added: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    files_updated: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    files_missing: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    files_failed: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    files_moved: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    files_processed: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    phase: Mapped[str | None] = mapped_column(String(16))
    folders: Mapped[list[str] | None] = mapped_column(JSONB)
    started_at: Mapped[datetime] = created_ts()
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class LibraryAccess(Base):
    __tablename__ = "library_access"

    library_id: Mapped[uuid.UUID] = uuid_fk("libraries.id", primary_key=True)
    user_id: Mapped[uuid.UUID] = uuid_fk("users.id", primary_key=True, index=True)


MEDIA_KINDS = ("video", "audio")
ITEM_KINDS = ("movie", "series", "episode", "track", "audiobook", "podcast_episode")


class MediaFile(Timestamps, Base):
    """One file on disk, linked to the catalogue item it belongs to (if any).

    The item link is (item_kind, item_id) rather than a foreign key so that each content
    module owns its tables; a file keeps its row (and so its item) across moves and renames.
    """

    __tablename__ = "media_files"
    __table_args__ = (
        Index("uq_media_files_library_path", "library_id", "path", unique=True),
        Index("ix_media_files_item", "item_id"),
        Index("ix_media_files_fingerprint", "library_id", "fingerprint"),
        Index(
            "ix_media_files_missing_since",
            "missing_since",
            postgresql_where=text("missing_since IS NOT NULL"),
        ),
        CheckConstraint("kind IN ('video', 'audio')", name="media_kind"),
        CheckConstraint(
            "item_kind IN ('movie', 'series', 'episode', 'track', 'audiobook', 'podcast_episode')",
            name="item_kind",
        ),
        CheckConstraint("analysis IN ('pending', 'ok', 'failed')", name="analysis"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = uuid_fk("libraries.id", nullable=False)
    path: Mapped[str] = mapped_column(Text, nullable=False)
    folder: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    mtime_ns: Mapped[int] = mapped_column(BigInteger, nullable=False)
    inode: Mapped[int] = mapped_column(BigInteger, nullable=False)
    device: Mapped[int] = mapped_column(BigInteger, nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    item_kind: Mapped[str | None] = mapped_column(String(16))
    item_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    extra_type: Mapped[str | None] = mapped_column(String(32))
    part: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[str | None] = mapped_column(Text)
    missing_since: Mapped[datetime | None]
    analysis: Mapped[str] = mapped_column(String(8), nullable=False, server_default="pending")
    failure_reason: Mapped[str | None] = mapped_column(Text)
    container: Mapped[str | None] = mapped_column(String(64))
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    bit_rate: Mapped[int | None] = mapped_column(BigInteger)
    tags: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    has_embedded_art: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    # Why the last attempt to play this file failed (corrupt data, a codec nothing decodes).
    playback_failure: Mapped[str | None] = mapped_column(Text)
    playback_failed_at: Mapped[datetime | None]


class MediaStream(Base):
    """A video, audio or subtitle stream inside a probed media file."""

    __tablename__ = "media_streams"
    __table_args__ = (
        CheckConstraint("kind IN ('video', 'audio', 'subtitle', 'other')", name="stream_kind"),
    )

    media_file_id: Mapped[uuid.UUID] = uuid_fk("media_files.id", primary_key=True)
    index: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    codec: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    frame_rate: Mapped[float | None] = mapped_column(Float)
    channels: Mapped[int | None] = mapped_column(Integer)
    sample_rate: Mapped[int | None] = mapped_column(Integer)
    hdr: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    is_forced: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    profile: Mapped[str | None] = mapped_column(String(64))
    level: Mapped[int | None] = mapped_column(Integer)
    bit_depth: Mapped[int | None] = mapped_column(Integer)
    bit_rate: Mapped[int | None] = mapped_column(BigInteger)
    pixel_format: Mapped[str | None] = mapped_column(String(32))
