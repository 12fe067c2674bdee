"""SQL of the movies module."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.bulk import KeyedUpsert
from revenge.catalog.movies.models import Movie
from revenge.catalog.people.repository import delete_orphan_credits
from revenge.catalog.repository import (
    delete_orphan_states,
    keyset_page,
    main_duration,
    no_files_left,
    scoped,
    state_flag,
)
from revenge.catalog.state.models import UserItemState
from revenge.images.repository import delete_orphan_links

_COLUMNS = (
    ("title", "text"),
    ("sort_title", "text"),
    ("year", "int"),
    ("is_3d", "bool"),
    ("tmdb_id", "text"),
    ("imdb_id", "text"),
)
# Sort keys of the movie list; unrated movies come last whatever the direction.
SORTS: dict[str, Any] = {
    "title": Movie.sort_title,
    "year": Movie.year,
    "added": Movie.created_at,
    "rating": Movie.community_rating,
    "runtime": None,  # the main file's duration, computed per row
}

if TYPE_CHECKING:
    from revenge.catalog.browse import Browse


upsert_movies = KeyedUpsert("movies", _COLUMNS)


async def delete_orphans(session: AsyncSession) -> int:
    """Delete movies no file points at, their image links and their users' state."""
    result = await session.execute(delete(Movie).where(no_files_left(Movie.id)))
    removed = int(getattr(result, "rowcount", 0) or 0)
    removed += await delete_orphan_links(session, "movie", Movie.__table__)
    removed += await delete_orphan_credits(session, "movie", Movie.__table__)
    return removed + await delete_orphan_states(session, "movie", Movie.__table__)


@dataclass(frozen=True)
class MovieFilters:
    """Optional narrowing of the movie list; played and favourite are the caller's."""

    user_id: uuid.UUID
    genre: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    played: bool | None = None
    favourite: bool | None = None


def _filtered(stmt: Select[Any], f: MovieFilters) -> Select[Any]:
    if f.genre is not None:
        stmt = stmt.where(Movie.genres.contains([f.genre]))
    if f.year_from is not None:
        stmt = stmt.where(Movie.year >= f.year_from)
    if f.year_to is not None:
        stmt = stmt.where(Movie.year <= f.year_to)
    for wanted, flag in ((f.played, UserItemState.played), (f.favourite, UserItemState.favourite)):
        if wanted is not None:
            clause = state_flag(f.user_id, "movie", Movie.id, flag)
            stmt = stmt.where(clause if wanted else ~clause)
    return stmt


async def list_movies(
    session: AsyncSession,
    browse: Browse,
    sort: str,
    filters: MovieFilters,
) -> tuple[list[Movie], int, str | None]:
    """A page of movies the caller may see, with the cursor of the next page."""
    stmt = scoped(select(Movie), Movie.library_id, browse.allowed, browse.library_id)
    stmt = _filtered(stmt, filters)
    key = main_duration(Movie.id) if sort == "runtime" else SORTS[sort]
    return await keyset_page(
        session, stmt, Movie.id, key, sort, browse.descending, browse.limit, browse.offset,
        browse.cursor, browse.counter(filters.played is not None or filters.favourite is not None),
    )  # fmt: skip


async def get_movie(
    session: AsyncSession, movie_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> Movie | None:
    stmt = scoped(select(Movie).where(Movie.id == movie_id), Movie.library_id, allowed, None)
    return (await session.execute(stmt)).scalar_one_or_none()
