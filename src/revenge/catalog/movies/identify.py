"""Identifying a movie by hand and editing its metadata (administrators, like Jellyfin/Plex).

A movie the caller may not see answers 404 before the administrator check, so a plain user
learns nothing about libraries hidden from them. Edited fields are locked: later fetches
leave them alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.auth import Principal
from revenge.api.deps import admin_user
from revenge.catalog.metadata_writer import item_ref, reindex
from revenge.catalog.movies import metadata_repository as meta_repo
from revenge.catalog.movies import repository as repo
from revenge.catalog.movies.models import Movie
from revenge.catalog.text import sort_title
from revenge.errors import BadRequest, NotFound, ServiceUnavailable, Unprocessable
from revenge.libraries.access import allowed_library_ids
from revenge.metadata.errors import ProviderError, ProviderNotFound
from revenge.metadata.jobs import enqueue_artwork
from revenge.metadata.matching import Scored
from revenge.metadata.protocols import MovieProvider

if TYPE_CHECKING:
    from revenge.metadata import MetadataFeature
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
    await admin_user(principal)
    return movie


def _feature(runtime: Runtime) -> MetadataFeature:
    feature: MetadataFeature | None = runtime.services.get("metadata")
    if feature is None:
        raise ServiceUnavailable("Metadata providers are not set up on this server.")
    return feature


async def search(runtime: Runtime, movie: Movie, q: str | None, year: int | None) -> list[Scored]:
    """Provider candidates for the movie (its own title and year unless given), best first."""
    title = q if q else movie.title
    if q is None and year is None:
        year = movie.year
    return await _feature(runtime).service.search("movie", title, year)


async def choose(
    runtime: Runtime, session: AsyncSession, movie: Movie, provider: str, provider_id: str
) -> None:
    """Apply the provider record a person picked, and queue its artwork."""
    feature = _feature(runtime)
    if not isinstance(feature.service.registry.providers.get(provider), MovieProvider):
        raise BadRequest(f"{provider!r} is not a movie metadata provider.")
    facts = await feature.writer.item_facts(session, item_ref("movie", movie.id))
    if facts is None:
        raise NotFound(f"No movie {movie.id}.")
    try:
        outcome = await feature.service.choose(facts, provider, provider_id)
    except ProviderNotFound as exc:
        raise Unprocessable(f"{provider} has no movie {provider_id!r}.") from exc
    except ProviderError as exc:
        raise ServiceUnavailable(f"{provider} could not answer: {exc}") from exc
    await feature.writer.save_metadata(session, outcome)
    await enqueue_artwork(runtime, session, facts, outcome)
    await session.refresh(movie)


def edited_values(movie: Movie, changes: dict[str, Any]) -> dict[str, Any]:
    """Columns to write for an edit, the edited fields added to the locked ones."""
    values = {k: v for k, v in changes.items() if k in EDITABLE}
    if "title" in values:
        values["sort_title"] = sort_title(values["title"])
    locked = list(dict.fromkeys([*(movie.locked_fields or ()), *changes]))
    values["locked_fields"] = [f for f in locked if f in EDITABLE]
    return values


async def edit(
    runtime: Runtime,
    session: AsyncSession,
    movie: Movie,
    changes: dict[str, Any],
    unlock: Sequence[str],
) -> None:
    """Set and lock the edited fields; `unlock` hands fields back to the providers."""
    values = edited_values(movie, changes)
    values["locked_fields"] = [f for f in values["locked_fields"] if f not in unlock]
    await meta_repo.edit(session, movie.id, values)
    await reindex(runtime, session, movie.library_id, "movie", movie.id)
    await session.refresh(movie)
