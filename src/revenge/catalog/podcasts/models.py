"""Podcasts kept as local folders: one folder per podcast, one file per episode."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, Float, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.columns import CatalogRow, Titled, grouped, listed, parent_fk
from revenge.infra.db.base import Base


class Podcast(CatalogRow, Titled, Base):
    __tablename__ = "podcasts"
    __table_args__ = (*listed("podcasts"),)

    author: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)


class PodcastEpisode(CatalogRow, Base):
    __tablename__ = "podcast_episodes"
    __table_args__ = (
        grouped("podcast_episodes"),
        Index("ix_podcast_episodes_podcast_published", "podcast_id", "published_on"),
    )

    podcast_id: Mapped[uuid.UUID] = parent_fk("podcasts.id")
    title: Mapped[str] = mapped_column(Text, nullable=False)
    episode_number: Mapped[int | None] = mapped_column(Integer)
    published_on: Mapped[date | None] = mapped_column(Date)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)
