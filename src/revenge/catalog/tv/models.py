"""TV: series -> seasons -> episodes. Specials are season 0."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.columns import (
    CatalogRow,
    Featured,
    MetadataState,
    ProviderIds,
    Scores,
    grouped,
    listed,
    nullable_sort,
    parent_fk,
)
from revenge.infra.db.base import Base


class Series(CatalogRow, MetadataState, Featured, Base):
    __tablename__ = "series"
    __table_args__ = (
        *listed("series"),
        *nullable_sort("series", "year", "year"),
        *nullable_sort("series", "rating", "community_rating"),
    )


class Season(CatalogRow, Base):
    __tablename__ = "seasons"
    __table_args__ = (grouped("seasons"),)

    series_id: Mapped[uuid.UUID] = parent_fk("series.id")
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str | None] = mapped_column(Text)


class Episode(CatalogRow, MetadataState, ProviderIds, Scores, Base):
    __tablename__ = "episodes"
    __table_args__ = (
        grouped("episodes"),
        Index("ix_episodes_season_order", "season_id", "number", "air_date"),
        Index("ix_episodes_series_order", "series_id", "season_number", "number"),
    )

    series_id: Mapped[uuid.UUID] = parent_fk("series.id")
    season_id: Mapped[uuid.UUID] = parent_fk("seasons.id")
    season_number: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[int | None] = mapped_column(Integer)
    ending_number: Mapped[int | None] = mapped_column(Integer)
    absolute_number: Mapped[int | None] = mapped_column(Integer)
    air_date: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    overview: Mapped[str | None] = mapped_column(Text)
