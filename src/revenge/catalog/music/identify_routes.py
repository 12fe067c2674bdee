"""Identify an album by hand and edit its metadata (administrators)."""

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
from revenge.catalog.music import identify
from revenge.catalog.music.models import Album

router = APIRouter()

Editable = Literal["title", "year", "genres"]
assert set(Editable.__args__) == set(identify.EDITABLE)  # type: ignore[attr-defined]


class AlbumChoice(IdentifyChoice):
    provider: Literal["musicbrainz"] = Field(description="A metadata provider of this kind.")


class AlbumEdit(BaseModel):
    # Omitted means unchanged; every field but the title may be cleared with null.
    title: Annotated[str, Field(min_length=1, max_length=500)] | SkipJsonSchema[None] = None
    year: int | None = Field(default=None, ge=1000, le=2200)
    genres: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = Field(
        default=None, max_length=50
    )
    unlock: list[Editable] = Field(default_factory=list, max_length=len(identify.EDITABLE))


class AlbumMetadataOut(BaseModel):
    id: uuid.UUID
    title: str
    year: int | None
    genres: list[str]
    musicbrainz_id: str | None
    locked_fields: list[str]
    metadata_status: str | None
    metadata_reason: str | None


def _out(a: Album) -> AlbumMetadataOut:
    return AlbumMetadataOut(
        id=a.id, title=a.title, year=a.year, genres=list(a.genres or ()),
        musicbrainz_id=a.musicbrainz_id, locked_fields=list(a.locked_fields or ()),
        metadata_status=a.metadata_status, metadata_reason=a.metadata_reason,
    )  # fmt: skip


@router.get("/albums/{album_id}/identify", responses=SEARCH_RESPONSES)
async def search_candidates(
    album_id: uuid.UUID,
    user: CurrentUser,
    session: DbSession,
    runtime: RuntimeDep,
    q: Annotated[str | None, Query(min_length=1, max_length=300)] = None,
    year: Annotated[int | None, Query(ge=1000, le=2200)] = None,
) -> list[CandidateOut]:
    """Release candidates for the album, best first, each with its confidence (0..1)."""
    album, artist = await identify.album_for_admin(session, user, album_id)
    return candidates_out(await identify.search(runtime, album, artist, q, year))


@router.post("/albums/{album_id}/identify", responses=CHOOSE_RESPONSES)
async def apply_match(
    album_id: uuid.UUID,
    choice: AlbumChoice,
    user: CurrentUser,
    session: DbSession,
    runtime: RuntimeDep,
) -> AlbumMetadataOut:
    """Apply the chosen release to the album and mark it matched."""
    album, _ = await identify.album_for_admin(session, user, album_id)
    await identify.choose(runtime, session, album, choice.provider, choice.id)
    return _out(album)


@router.patch("/albums/{album_id}/metadata", responses=EDIT_RESPONSES)
async def edit_metadata(
    album_id: uuid.UUID,
    edit: AlbumEdit,
    user: CurrentUser,
    session: DbSession,
    runtime: RuntimeDep,
) -> AlbumMetadataOut:
    """Set fields by hand; they are locked so later fetches keep them."""
    album, _ = await identify.album_for_admin(session, user, album_id)
    changes = edit.model_dump(include=edit.model_fields_set - {"unlock"})
    await identify.edit(runtime, session, album, changes, edit.unlock)
    return _out(album)
