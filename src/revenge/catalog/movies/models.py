"""Movies. Files (versions, stack parts, extras) link to a movie through media_files."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.columns import group_key, library_fk
from revenge.infra.db.base import Base, created_ts, updated_ts, uuid_pk


class Movie(Base):
    __tablename__ = "movies"
    __table_args__ = (
        Index("uq_movies_library_group", "library_id", "group_key", unique=True),
        Index("ix_movies_library_sort", "library_id", "sort_title"),
        Index("ix_movies_title_order", "sort_title", "id"),
        Index("ix_movies_added", "created_at", "id"),
        Index("ix_movies_year", "year", "id"),
        Index("ix_movies_genres", "genres", postgresql_using="gin"),
        Index("ix_movies_rating", "community_rating", "id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = library_fk()
    group_key: Mapped[str] = group_key()
    title: Mapped[str] = mapped_column(Text, nullable=False)
    sort_title: Mapped[str] = mapped_column(Text, nullable=False)
    original_title: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    overview: Mapped[str | None] = mapped_column(Text)
    is_3d: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    tmdb_id: Mapped[str | None] = mapped_column(String(32))
    imdb_id: Mapped[str | None] = mapped_column(String(32))
    tvdb_id: Mapped[str | None] = mapped_column(String(32))
    genres: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    # Average audience score out of 10 (TMDb, TheTVDB or the NFO), and minutes per the source.
    community_rating: Mapped[float | None] = mapped_column(Float)
    runtime_minutes: Mapped[int | None] = mapped_column(Integer)
    # Fields a person edited; metadata fetches leave them alone.
    locked_fields: Mapped[list[str]] = mapped_column(
        ARRAY(Text), nullable=False, server_default="{}"
    )
    metadata_status: Mapped[str | None] = mapped_column(String(16))
    metadata_reason: Mapped[str | None] = mapped_column(Text)
    metadata_fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()
