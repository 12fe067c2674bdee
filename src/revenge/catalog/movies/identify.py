"""Identifying a movie by hand and editing its metadata (administrators, like Jellyfin/Plex)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import identify as shared
from revenge.catalog.metadata_writer import item_ref, reindex
from revenge.catalog.movies import metadata_repository as meta_repo
from revenge.catalog.movies import repository as repo
from revenge.catalog.movies.models import Movie
from revenge.errors import NotFound
from revenge.identity import Principal
from revenge.identity.principal import require_admin
from revenge.libraries.access import allowed_library_ids
from revenge.metadata.matching import Scored
from revenge.metadata.protocols import MovieProvider

if TYPE_CHECKING:
    from revenge.runtime import Runtime

EDITABLE = ("title", "original_title", "overview", "year", "genres")


async def movie_for_admin(
    session: AsyncSession, principal: Principal, movie_id: uuid.UUID
) -> Movie:
    """The movie if the caller may see it (else 404) and is an administrator (else 403)."""
    allowed = await allowed_library_ids(session, principal)
    movie = await repo.get_movie(session, movie_id, allowed)
    if movie is None:
        raise NotFound(f"No movie {movie_id}.")
    require_admin(principal)
    return movie


async def search(runtime: Runtime, movie: Movie, q: str | None, year: int | None) -> list[Scored]:
    """Provider candidates for the movie (its own title and year unless given), best first."""
    title = q if q else movie.title
    if q is None and year is None:
        year = movie.year
    return await shared.search(runtime, "movie", title, year)


async def choose(
    runtime: Runtime, session: AsyncSession, movie: Movie, provider: str, provider_id: str
) -> None:
    """Apply the provider record a person picked, and queue its artwork."""
    ref = item_ref("movie", movie.id)
    await shared.choose(runtime, session, ref, MovieProvider, provider, provider_id)
    await session.refresh(movie)


async def edit(
    runtime: Runtime,
    session: AsyncSession,
    movie: Movie,
    changes: dict[str, Any],
    unlock: Sequence[str],
) -> None:
    """Set and lock the edited fields; `unlock` hands fields back to the providers."""
    values = shared.edited_values(movie.locked_fields, changes, EDITABLE, unlock)
    await meta_repo.edit(session, movie.id, values)
    await reindex(runtime, session, movie.library_id, "movie", movie.id)
    await session.refresh(movie)
