"""TV: series -> seasons -> episodes. Specials are season 0."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, Float, Index, Integer, String, Text
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


class Series(Base):
    __tablename__ = "series"
    __table_args__ = (
        Index("uq_series_library_group", "library_id", "group_key", unique=True),
        Index("ix_series_library_sort", "library_id", "sort_title"),
        Index("ix_series_title_order", "sort_title", "id"),
        Index("ix_series_added", "created_at", "id"),
        Index("ix_series_year", "year", "id"),
        Index("ix_series_rating", "community_rating", "id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = library_fk()
    group_key: Mapped[str] = group_key()
    title: Mapped[str] = mapped_column(Text, nullable=False)
    sort_title: Mapped[str] = mapped_column(Text, nullable=False)
    year: Mapped[int | None] = mapped_column(Integer)
    overview: Mapped[str | None] = mapped_column(Text)
    original_title: Mapped[str | None] = mapped_column(Text)
    tvdb_id: Mapped[str | None] = mapped_column(String(32))
    tmdb_id: Mapped[str | None] = mapped_column(String(32))
    imdb_id: Mapped[str | None] = mapped_column(String(32))
    genres: Mapped[list[str] | None] = text_array()
    community_rating: Mapped[float | None] = mapped_column(Float)
    runtime_minutes: Mapped[int | None] = mapped_column(Integer)
    locked_fields: Mapped[list[str]] = locked_fields()
    metadata_status: Mapped[str | None] = metadata_status()
    metadata_reason: Mapped[str | None] = metadata_reason()
    metadata_fetched_at: Mapped[datetime | None] = metadata_fetched_at()
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class Season(Base):
    __tablename__ = "seasons"
    __table_args__ = (Index("uq_seasons_library_group", "library_id", "group_key", unique=True),)

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = library_fk()
    group_key: Mapped[str] = group_key()
    series_id: Mapped[uuid.UUID] = parent_fk("series.id")
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class Episode(Base):
    __tablename__ = "episodes"
    __table_args__ = (
        Index("uq_episodes_library_group", "library_id", "group_key", unique=True),
        Index("ix_episodes_season_order", "season_id", "number", "air_date"),
        Index("ix_episodes_series_order", "series_id", "season_number", "number"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = library_fk()
    group_key: Mapped[str] = group_key()
    series_id: Mapped[uuid.UUID] = parent_fk("series.id")
    season_id: Mapped[uuid.UUID] = parent_fk("seasons.id")
    season_number: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[int | None] = mapped_column(Integer)
    ending_number: Mapped[int | None] = mapped_column(Integer)
    absolute_number: Mapped[int | None] = mapped_column(Integer)
    air_date: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    overview: Mapped[str | None] = mapped_column(Text)
    tvdb_id: Mapped[str | None] = mapped_column(String(32))
    tmdb_id: Mapped[str | None] = mapped_column(String(32))
    imdb_id: Mapped[str | None] = mapped_column(String(32))
    community_rating: Mapped[float | None] = mapped_column(Float)
    runtime_minutes: Mapped[int | None] = mapped_column(Integer)
    metadata_status: Mapped[str | None] = metadata_status()
    metadata_reason: Mapped[str | None] = metadata_reason()
    metadata_fetched_at: Mapped[datetime | None] = metadata_fetched_at()
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()
