"""SQL of the movies module."""

from __future__ import annotations

import uuid
from typing import Any

from psycopg import AsyncConnection
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.bulk import upsert_keyed
from revenge.catalog.movies.models import Movie
from revenge.catalog.repository import delete_orphan_states, no_files_left, page, scoped
from revenge.images.repository import delete_orphan_links

_COLUMNS = (
    ("title", "text"),
    ("sort_title", "text"),
    ("year", "int"),
    ("is_3d", "bool"),
    ("tmdb_id", "text"),
    ("imdb_id", "text"),
)
SORTS = {"title": Movie.sort_title, "year": Movie.year, "added": Movie.created_at}


async def upsert_movies(
    conn: AsyncConnection[Any], library_id: uuid.UUID, rows: dict[str, dict[str, Any]]
) -> tuple[dict[str, uuid.UUID], set[uuid.UUID]]:
    return await upsert_keyed(conn, "movies", library_id, rows, _COLUMNS)


async def delete_orphans(session: AsyncSession) -> int:
    """Delete movies no file points at, their image links and their users' state."""
    result = await session.execute(delete(Movie).where(no_files_left(Movie.id)))
    removed = int(getattr(result, "rowcount", 0) or 0)
    removed += await delete_orphan_links(session, "movie", Movie.__table__)
    return removed + await delete_orphan_states(session, "movie", Movie.__table__)


async def list_movies(
    session: AsyncSession,
    allowed: set[uuid.UUID] | None,
    library_id: uuid.UUID | None,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
    year: int | None = None,
) -> tuple[list[Movie], int]:
    stmt = scoped(select(Movie), Movie.library_id, allowed, library_id)
    if year is not None:
        stmt = stmt.where(Movie.year == year)
    column = SORTS[sort]
    order = [column.desc().nulls_last() if descending else column.asc().nulls_last(), Movie.id]
    rows, total = await page(session, stmt, order, limit, offset)
    return [r[0] for r in rows], total


async def get_movie(
    session: AsyncSession, movie_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> Movie | None:
    stmt = scoped(select(Movie).where(Movie.id == movie_id), Movie.library_id, allowed, None)
    return (await session.execute(stmt)).scalar_one_or_none()
