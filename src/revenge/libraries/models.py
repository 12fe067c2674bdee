"""Libraries, their folders, their scans and per-user access."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, created_ts, updated_ts, uuid_pk

LIBRARY_TYPES = ("movie", "tv", "music", "audiobook", "podcast")


class Library(Base):
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
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class LibraryPath(Base):
    __tablename__ = "library_paths"

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("libraries.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    path: Mapped[str] = mapped_column(Text, nullable=False, unique=True)


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
    library_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("libraries.id", ondelete="CASCADE"), nullable=False
    )
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="queued")
    files_seen: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    files_added: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    files_updated: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    files_missing: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    files_failed: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    started_at: Mapped[datetime] = created_ts()
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)


class LibraryAccess(Base):
    __tablename__ = "library_access"

    library_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("libraries.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
