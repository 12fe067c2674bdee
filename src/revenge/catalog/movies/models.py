"""Movies. Files (versions, stack parts, extras) link to a movie through media_files."""

from __future__ import annotations

from sqlalchemy import Boolean, Index
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.columns import CatalogRow, Featured, MetadataState, listed, nullable_sort
from revenge.infra.db.base import Base


class Movie(CatalogRow, MetadataState, Featured, Base):
    __tablename__ = "movies"
    __table_args__ = (
        *listed("movies"),
        *nullable_sort("movies", "year", "year"),
        Index("ix_movies_genres", "genres", postgresql_using="gin"),
        *nullable_sort("movies", "rating", "community_rating"),
    )

    is_3d: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
