"""Audiobooks with their authors, narrators, series position and chapters."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.columns import (
    group_key,
    library_fk,
    metadata_fetched_at,
    metadata_reason,
    metadata_status,
    text_array,
)
from revenge.infra.db.base import Base, created_ts, updated_ts, uuid_pk


class Audiobook(Base):
    __tablename__ = "audiobooks"
    __table_args__ = (
        Index("uq_audiobooks_library_group", "library_id", "group_key", unique=True),
        Index("ix_audiobooks_library_sort", "library_id", "sort_title"),
        Index("ix_audiobooks_title_order", "sort_title", "id"),
        Index("ix_audiobooks_added", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = library_fk()
    group_key: Mapped[str] = group_key()
    title: Mapped[str] = mapped_column(Text, nullable=False)
    sort_title: Mapped[str] = mapped_column(Text, nullable=False)
    series_name: Mapped[str | None] = mapped_column(Text)
    series_position: Mapped[float | None] = mapped_column(Float)
    year: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    isbn: Mapped[str | None] = mapped_column(String(20))
    asin: Mapped[str | None] = mapped_column(String(20))
    musicbrainz_id: Mapped[str | None] = mapped_column(String(36))
    genres: Mapped[list[str] | None] = text_array()
    metadata_status: Mapped[str | None] = metadata_status()
    metadata_reason: Mapped[str | None] = metadata_reason()
    metadata_fetched_at: Mapped[datetime | None] = metadata_fetched_at()
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class AudiobookPerson(Base):
    """An author or narrator of a book, in credit order."""

    __tablename__ = "audiobook_people"
    __table_args__ = (CheckConstraint("role IN ('author', 'narrator')", name="person_role"),)

    audiobook_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("audiobooks.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)


class AudiobookChapter(Base):
    """A chapter: a whole file (one file per chapter) or a span of one file."""

    __tablename__ = "audiobook_chapters"

    audiobook_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("audiobooks.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    media_file_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("media_files.id", ondelete="SET NULL"), index=True
    )
    start_seconds: Mapped[float] = mapped_column(Float, nullable=False, server_default="0")
    end_seconds: Mapped[float | None] = mapped_column(Float)
