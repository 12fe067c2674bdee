"""Movies as the native routes and the protocol adapters read them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Row

from revenge.catalog.movies import repository as repo

if TYPE_CHECKING:
    from revenge.catalog.browse import Browse

SORTS = tuple(repo.SORTS)


async def page(browse: Browse, sort: str, **filters: Any) -> tuple[list[Row[Any]], int, str | None]:
    """A page of the movies the caller may see, narrowed by `MovieFilters`' fields: rows with
    the movie's columns and the caller's `played` and `missing` flags."""
    chosen = repo.MovieFilters(browse.principal.user_id, **filters)
    return await repo.list_movies(browse.session, browse, sort, chosen)
