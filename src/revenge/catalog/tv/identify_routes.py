"""Identify a series by hand and edit its metadata (administrators)."""

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
from revenge.catalog.tv import identify
from revenge.catalog.tv.models import Series

router = APIRouter()

Editable = Literal["title", "original_title", "overview", "year", "genres"]
assert set(Editable.__args__) == set(identify.EDITABLE)  # type: ignore[attr-defined]


class SeriesChoice(IdentifyChoice):
    provider: Literal["tmdb", "tvdb"] = Field(description="A metadata provider of this kind.")


class SeriesEdit(BaseModel):
    # Omitted means unchanged; every field but the title may be cleared with null.
    title: Annotated[str, Field(min_length=1, max_length=500)] | SkipJsonSchema[None] = None
    original_title: str | None = Field(default=None, max_length=500)
    overview: str | None = Field(default=None, max_length=20_000)
    year: int | None = Field(default=None, ge=1850, le=2200)
    genres: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = Field(
        default=None, max_length=50
    )
    unlock: list[Editable] = Field(default_factory=list, max_length=len(identify.EDITABLE))


class SeriesMetadataOut(BaseModel):
    id: uuid.UUID
    title: str
    original_title: str | None
    year: int | None
    overview: str | None
    genres: list[str]
    tmdb_id: str | None
    tvdb_id: str | None
    imdb_id: str | None
    locked_fields: list[str]
    metadata_status: str | None
    metadata_reason: str | None


def _out(s: Series) -> SeriesMetadataOut:
    return SeriesMetadataOut(
        id=s.id, title=s.title, original_title=s.original_title, year=s.year,
        overview=s.overview, genres=list(s.genres or ()), tmdb_id=s.tmdb_id, tvdb_id=s.tvdb_id,
        imdb_id=s.imdb_id, locked_fields=list(s.locked_fields or ()),
        metadata_status=s.metadata_status, metadata_reason=s.metadata_reason,
    )  # fmt: skip


@router.get("/series/{series_id}/identify", responses=SEARCH_RESPONSES)
async def search_candidates(
    series_id: uuid.UUID,
    user: CurrentUser,
    session: DbSession,
    runtime: RuntimeDep,
    q: Annotated[str | None, Query(min_length=1, max_length=300)] = None,
    year: Annotated[int | None, Query(ge=1850, le=2200)] = None,
) -> list[CandidateOut]:
    """Provider candidates for the series, best first, each with its confidence (0..1)."""
    series = await identify.series_for_admin(session, user, series_id)
    return candidates_out(await identify.search(runtime, series, q, year))


@router.post("/series/{series_id}/identify", responses=CHOOSE_RESPONSES)
async def apply_match(
    series_id: uuid.UUID,
    choice: SeriesChoice,
    user: CurrentUser,
    session: DbSession,
    runtime: RuntimeDep,
) -> SeriesMetadataOut:
    """Apply the chosen provider record to the series and mark it matched."""
    series = await identify.series_for_admin(session, user, series_id)
    await identify.choose(runtime, session, series, choice.provider, choice.id)
    return _out(series)


@router.patch("/series/{series_id}/metadata", responses=EDIT_RESPONSES)
async def edit_metadata(
    series_id: uuid.UUID,
    edit: SeriesEdit,
    user: CurrentUser,
    session: DbSession,
    runtime: RuntimeDep,
) -> SeriesMetadataOut:
    """Set fields by hand; they are locked so later fetches keep them."""
    series = await identify.series_for_admin(session, user, series_id)
    changes = edit.model_dump(include=edit.model_fields_set - {"unlock"})
    await identify.edit(runtime, session, series, changes, edit.unlock)
    return _out(series)
