"""API payloads of playlists."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

PlaylistKind = Literal["video", "audio"]
ItemType = Literal["movie", "episode", "track", "audiobook", "audiobook_chapter", "podcast_episode"]


class PlaylistCreate(BaseModel):
    # Unknown fields (an owner id, say) are dropped: the owner is always the caller.
    model_config = ConfigDict(extra="ignore")

    kind: PlaylistKind
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    is_public: bool = False


class PlaylistPatch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # Omitted means unchanged; only the description may be cleared with null.
    name: Annotated[str, Field(min_length=1, max_length=200)] | SkipJsonSchema[None] = None
    description: str | None = Field(None, max_length=5000)
    is_public: bool | SkipJsonSchema[None] = None


class ItemRef(BaseModel):
    type: ItemType
    id: uuid.UUID
    chapter: int | None = Field(None, ge=0, description="Chapter number of an audiobook chapter.")


class ItemsAdd(BaseModel):
    items: list[ItemRef] = Field(min_length=1, max_length=500)


class ItemMove(BaseModel):
    """Where to put the entry: after one entry, or first when `after` is null."""

    after: uuid.UUID | None = None


class PlaylistOut(BaseModel):
    id: uuid.UUID
    kind: PlaylistKind
    owner_id: uuid.UUID
    name: str
    description: str | None
    is_public: bool
    item_count: int
    created_at: datetime
    updated_at: datetime


class PlaylistEntryOut(BaseModel):
    entry_id: uuid.UUID
    type: str
    id: uuid.UUID
    chapter: int | None
    title: str
    subtitle: str | None
    year: int | None
    library_id: uuid.UUID
    position: float
    added_at: datetime


class PlaylistDetail(PlaylistOut):
    items: list[PlaylistEntryOut]
