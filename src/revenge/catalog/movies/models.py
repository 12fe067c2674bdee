"""Movies. Files (versions, stack parts, extras) link to a movie through media_files."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.columns import CatalogRow, MetadataState, listed
from revenge.infra.db.base import Base


class Movie(CatalogRow, MetadataState, Base):
    __tablename__ = "movies"
    __table_args__ = (
        *listed("movies"),
        Index("ix_movies_year", "year", "id"),
        Index("ix_movies_genres", "genres", postgresql_using="gin"),
        Index("ix_movies_rating", "community_rating", "id"),
    )

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
