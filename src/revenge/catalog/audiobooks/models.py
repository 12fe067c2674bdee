"""Audiobooks with their authors, narrators, series position and chapters."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.columns import CatalogRow, MetadataState, Titled, listed, text_array
from revenge.infra.db.base import Base, uuid_fk


class Audiobook(CatalogRow, MetadataState, Titled, Base):
    __tablename__ = "audiobooks"
    __table_args__ = (*listed("audiobooks"),)

    series_name: Mapped[str | None] = mapped_column(Text)
    series_position: Mapped[float | None] = mapped_column(Float)
    year: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    isbn: Mapped[str | None] = mapped_column(String(20))
    asin: Mapped[str | None] = mapped_column(String(20))
    musicbrainz_id: Mapped[str | None] = mapped_column(String(36))
    genres: Mapped[list[str] | None] = text_array()


class AudiobookPerson(Base):
    """An author or narrator of a book, in credit order."""

    __tablename__ = "audiobook_people"
    __table_args__ = (CheckConstraint("role IN ('author', 'narrator')", name="person_role"),)

    audiobook_id: Mapped[uuid.UUID] = uuid_fk("audiobooks.id", primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)


class AudiobookChapter(Base):
    """A chapter: a whole file (one file per chapter) or a span of one file."""

    __tablename__ = "audiobook_chapters"

    audiobook_id: Mapped[uuid.UUID] = uuid_fk("audiobooks.id", primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    media_file_id: Mapped[uuid.UUID | None] = uuid_fk(
        "media_files.id", ondelete="SET NULL", index=True
    )
    start_seconds: Mapped[float] = mapped_column(Float, nullable=False, server_default="0")
    end_seconds: Mapped[float | None] = mapped_column(Float)
