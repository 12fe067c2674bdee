"""SQL the metadata writer needs over movies: their facts, merged values and fetch state."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import metadata_repository as shared
from revenge.catalog.movies.models import Movie


async def movie(session: AsyncSession, movie_id: uuid.UUID) -> Movie | None:
    return await session.get(Movie, movie_id)


async def main_file_path(session: AsyncSession, movie_id: uuid.UUID) -> str | None:
    """The movie's main present file (first part of the first version), if any."""
    return await shared.main_file_path(session, "movie", movie_id)


async def save(session: AsyncSession, movie_id: uuid.UUID, values: dict[str, Any]) -> None:
    """Set the given columns and stamp the fetch time."""
    stmt = (
        update(Movie)
        .where(Movie.id == movie_id)
        .values(**values, metadata_fetched_at=func.now(), updated_at=func.now())
    )
    await session.execute(stmt)


async def stale(
    session: AsyncSession, fetched_before: datetime, limit: int
) -> Sequence[tuple[uuid.UUID, datetime | None]]:
    """Movies never fetched, or fetched before the cutoff, oldest first."""
    stmt = (
        select(Movie.id, Movie.metadata_fetched_at)
        .where((Movie.metadata_fetched_at.is_(None)) | (Movie.metadata_fetched_at < fetched_before))
        .order_by(Movie.metadata_fetched_at.asc().nulls_first())
        .limit(limit)
    )
    return [(i, t) for i, t in (await session.execute(stmt)).all()]
