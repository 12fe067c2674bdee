"""API payloads of collections."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from revenge.catalog.registry import KINDS

CollectionKind = Literal["video", "audio"]
# The kinds a collection may hold, as their declarations say (a string to the type checker).
if TYPE_CHECKING:
    MemberType = str
else:
    MemberType = Literal[KINDS.names(lambda k: k.collection)]


class CollectionCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    library_id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    image_id: uuid.UUID | None = Field(None, description="Artwork (an image id).")


class CollectionPatch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # Omitted means unchanged; description and image may be cleared with null.
    name: Annotated[str, Field(min_length=1, max_length=200)] | SkipJsonSchema[None] = None
    description: str | None = Field(None, max_length=5000)
    image_id: uuid.UUID | None = None


class MemberRef(BaseModel):
    type: MemberType
    id: uuid.UUID


class MembersAdd(BaseModel):
    items: list[MemberRef] = Field(min_length=1, max_length=1000)


class MemberMove(BaseModel):
    """Put the member right after another one, or first when `after` is null."""

    after: MemberRef | None = None


class CollectionOut(BaseModel):
    id: uuid.UUID
    kind: CollectionKind
    library_id: uuid.UUID | None
    name: str
    description: str | None
    source: str
    external_id: str | None
    image_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class MemberOut(BaseModel):
    type: str
    id: uuid.UUID
    title: str
    subtitle: str | None
    year: int | None
    position: float


class CollectionDetail(CollectionOut):
    items: list[MemberOut]
