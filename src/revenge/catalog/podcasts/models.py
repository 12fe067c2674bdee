"""Podcasts kept as local folders: one folder per podcast, one file per episode."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, Float, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.columns import group_key, library_fk, parent_fk
from revenge.infra.db.base import Base, created_ts, updated_ts, uuid_pk


class Podcast(Base):
    __tablename__ = "podcasts"
    __table_args__ = (
        Index("uq_podcasts_library_group", "library_id", "group_key", unique=True),
        Index("ix_podcasts_library_sort", "library_id", "sort_title"),
        Index("ix_podcasts_title_order", "sort_title", "id"),
        Index("ix_podcasts_added", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = library_fk()
    group_key: Mapped[str] = group_key()
    title: Mapped[str] = mapped_column(Text, nullable=False)
    sort_title: Mapped[str] = mapped_column(Text, nullable=False)
    author: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class PodcastEpisode(Base):
    __tablename__ = "podcast_episodes"
    __table_args__ = (
        Index("uq_podcast_episodes_library_group", "library_id", "group_key", unique=True),
        Index("ix_podcast_episodes_podcast_published", "podcast_id", "published_on"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = library_fk()
    group_key: Mapped[str] = group_key()
    podcast_id: Mapped[uuid.UUID] = parent_fk("podcasts.id")
    title: Mapped[str] = mapped_column(Text, nullable=False)
    episode_number: Mapped[int | None] = mapped_column(Integer)
    published_on: Mapped[date | None] = mapped_column(Date)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()
