"""SQL of the movies module."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from sqlalchemy import Select, delete
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import repository as shared
from revenge.catalog.bulk import KeyedUpsert
from revenge.catalog.movies.models import Movie
from revenge.catalog.state.models import UserItemState

# Sort keys of the movie list; unrated movies come last whatever the direction.
SORTS: dict[str, Any] = shared.sorts(Movie, "title", "year", "added", "rating") | {
    "runtime": None  # the main file's duration, computed per row
}


upsert_movies = KeyedUpsert.of(Movie, "title", "sort_title", "year", "is_3d", "tmdb_id", "imdb_id")


async def delete_orphans(session: AsyncSession) -> int:
    """Delete movies no file points at, their image links and their users' state."""
    gone = [("movie", Movie)]
    return await shared.purge_orphans(
        session, [delete(Movie).where(shared.no_files_left(Movie.id))],
        states=gone, credits=gone, links=gone,
    )  # fmt: skip


@dataclass(frozen=True)
class MovieFilters(shared.ListFilters):
    """The movie list's narrowing: also by genre, and by the caller's favourites."""

    genre: str | None = None
    favourite: bool | None = None


def _filtered(f: MovieFilters) -> Select[Any]:
    stmt = shared.listing(Movie)
    if f.genre is not None:
        stmt = stmt.where(Movie.genres.contains(shared.param("genres", Movie.genres)))
    stmt = shared.in_years(stmt, Movie.year, f)
    for wanted, flag in ((f.played, UserItemState.played), (f.favourite, UserItemState.favourite)):
        if wanted is not None:
            clause = shared.state_flag("movie", Movie.id, flag)
            stmt = stmt.where(clause if wanted else ~clause)
    return stmt


@cache
def _runtime() -> Any:
    return shared.main_duration(Movie.id)


async def list_movies(
    session: AsyncSession,
    browse: shared.Window,
    sort: str,
    filters: MovieFilters,
) -> tuple[list[Any], int, str | None]:
    """A page of movies the caller may see (rows of the table's columns, with the caller's
    `played` and `missing` flags), with the cursor of the next page."""
    key = _runtime() if sort == "runtime" else SORTS[sort]
    per_user = filters.played is not None or filters.favourite is not None
    shape = ("movies", filters.genre is not None, *shared.year_shape(filters), filters.favourite)
    values = shared.years(filters) | {"genres": [filters.genre]}
    return await shared.keyset_rows(
        session, shape, partial(_filtered, filters), Movie, key, sort, browse,
        values=values, per_user=per_user, flags="movie",
    )  # fmt: skip
