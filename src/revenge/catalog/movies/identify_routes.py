"""Identify a movie by hand and edit its metadata (administrators)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from revenge.api.deps import CurrentUser, DbSession, RuntimeDep
from revenge.catalog.identify import (
    CHOOSE_RESPONSES,
    EDIT_RESPONSES,
    SEARCH_RESPONSES,
    CandidateOut,
    IdentifyChoice,
    candidates_out,
)
from revenge.catalog.movies import identify
from revenge.catalog.movies.models import Movie

router = APIRouter()


class MovieChoice(IdentifyChoice):
    provider: Literal["tmdb"] = Field(description="A movie metadata provider.")


Editable = Literal["title", "original_title", "overview", "year", "genres"]
assert set(Editable.__args__) == set(identify.EDITABLE)  # type: ignore[attr-defined]


class MetadataEdit(BaseModel):
    # Omitted means unchanged; every field but the title may be cleared with null.
    title: Annotated[str, Field(min_length=1, max_length=500)] | SkipJsonSchema[None] = None
    original_title: str | None = Field(default=None, max_length=500)
    overview: str | None = Field(default=None, max_length=20_000)
    year: int | None = Field(default=None, ge=1850, le=2200)
    genres: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = Field(
        default=None, max_length=50
    )
    unlock: list[Editable] = Field(default_factory=list, max_length=len(identify.EDITABLE))


class MovieMetadataOut(BaseModel):
    id: uuid.UUID
    title: str
    original_title: str | None
    year: int | None
    overview: str | None
    genres: list[str]
    tmdb_id: str | None
    imdb_id: str | None
    locked_fields: list[str]
    metadata_status: str | None
    metadata_reason: str | None


def _metadata_out(movie: Movie) -> MovieMetadataOut:
    return MovieMetadataOut(
        id=movie.id, title=movie.title, original_title=movie.original_title, year=movie.year,
        overview=movie.overview, genres=list(movie.genres or ()), tmdb_id=movie.tmdb_id,
        imdb_id=movie.imdb_id, locked_fields=list(movie.locked_fields or ()),
        metadata_status=movie.metadata_status, metadata_reason=movie.metadata_reason,
    )  # fmt: skip


@router.get(
    "/{movie_id}/identify",
    responses=SEARCH_RESPONSES,
)
async def search_candidates(
    movie_id: uuid.UUID,
    user: CurrentUser,
    session: DbSession,
    runtime: RuntimeDep,
    q: Annotated[str | None, Query(min_length=1, max_length=300)] = None,
    year: Annotated[int | None, Query(ge=1850, le=2200)] = None,
) -> list[CandidateOut]:
    """Provider candidates for the movie, best first, each with its confidence (0..1)."""
    movie = await identify.movie_for_admin(session, user, movie_id)
    return candidates_out(await identify.search(runtime, movie, q, year))


@router.post(
    "/{movie_id}/identify",
    responses=CHOOSE_RESPONSES,
)
async def apply_match(
    movie_id: uuid.UUID,
    choice: MovieChoice,
    user: CurrentUser,
    session: DbSession,
    runtime: RuntimeDep,
) -> MovieMetadataOut:
    """Apply the chosen provider record to the movie and mark it matched."""
    movie = await identify.movie_for_admin(session, user, movie_id)
    await identify.choose(runtime, session, movie, choice.provider, choice.id)
    return _metadata_out(movie)


@router.patch("/{movie_id}/metadata", responses=EDIT_RESPONSES)
async def edit_metadata(
    movie_id: uuid.UUID,
    edit: MetadataEdit,
    user: CurrentUser,
    session: DbSession,
    runtime: RuntimeDep,
) -> MovieMetadataOut:
    """Set fields by hand; they are locked so later fetches keep them."""
    movie = await identify.movie_for_admin(session, user, movie_id)
    changes = edit.model_dump(include=edit.model_fields_set - {"unlock"})
    await identify.edit(runtime, session, movie, changes, edit.unlock)
    return _metadata_out(movie)
