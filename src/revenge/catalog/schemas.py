"""API payloads shared by the content modules: pages, files, streams, user state."""

from __future__ import annotations

import os
import uuid
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from revenge.catalog.state.models import UserItemState
from revenge.images.schemas import ItemImageOut

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
    # Opaque position after the last item; pass it as `cursor` for the next page.
    next_cursor: str | None = None


class StreamOut(BaseModel):
    index: int
    kind: str
    codec: str | None
    language: str | None
    title: str | None
    width: int | None
    height: int | None
    frame_rate: float | None
    channels: int | None
    sample_rate: int | None
    hdr: bool
    is_default: bool
    is_forced: bool


class FileOut(BaseModel):
    id: uuid.UUID
    name: str
    path: str | None
    size: int
    container: str | None
    duration_seconds: float | None
    bit_rate: int | None
    extra_type: str | None
    part: int | None
    version: str | None
    missing: bool
    analysis: str
    failure_reason: str | None
    streams: list[StreamOut]


class PersonOut(BaseModel):
    """A credit on an item: who, as what (actor, director, artist...), and which character."""

    person_id: uuid.UUID
    name: str
    role: str
    character: str | None
    photo_id: uuid.UUID | None = Field(
        default=None, description="Their photo, served by /api/v1/images/{id}, once fetched."
    )


class PlayableFlags(BaseModel):
    """On every playable item in lists and details: no request per item to draw a badge."""

    played: bool = False
    missing: bool = Field(
        default=False, description="Every file of the item is gone from its library folder."
    )


class UnplayedCount(BaseModel):
    unplayed_count: int = Field(default=0, description="Items in it the caller has not played.")


class UserStateOut(BaseModel):
    position_seconds: float = 0
    played: bool = False
    favourite: bool = False
    play_count: int = 0
    last_played_at: datetime | None = None


class FetchedOut(BaseModel):
    """On the detail of an item providers describe: how its last metadata fetch went."""

    metadata_status: str | None
    # Why the last fetch ended as it did: a provider down, no API key, no match...
    metadata_reason: str | None = None


class EditableOut(FetchedOut):
    """On the detail of an item people may edit: the fields they locked against fetches."""

    locked_fields: list[str]


class Illustrated(BaseModel):
    images: list[ItemImageOut]


class Credited(Illustrated):
    people: list[PersonOut]


class InLibrary(BaseModel):
    """What an item in a list answer starts with: its id and its library's."""

    id: uuid.UUID
    library_id: uuid.UUID


class FeaturedOut(InLibrary):
    """A film or a series in lists: what its provider ids and scores say of it."""

    title: str
    year: int | None
    tmdb_id: str | None
    imdb_id: str | None
    genres: list[str] | None
    community_rating: float | None
    runtime_minutes: int | None
    created_at: datetime


class FeaturedDetail(EditableOut, Credited):
    original_title: str | None
    overview: str | None


class PlayedOut(BaseModel):
    """On the detail of a playable item: its files and the caller's state of it."""

    files: list[FileOut]
    user_state: UserStateOut


def fetched(row: Any) -> dict[str, Any]:
    """The fetch status (and locked fields, where the row has them) of a catalogue row."""
    found = {"metadata_status": row.metadata_status, "metadata_reason": row.metadata_reason}
    if hasattr(row, "locked_fields"):
        found["locked_fields"] = list(row.locked_fields or ())
    return found


# What a file's answer copies from its row as it is.
_FILE_COLUMNS = (
    "id", "size", "container", "duration_seconds", "bit_rate", "extra_type", "part", "version",
    "analysis", "failure_reason",
)  # fmt: skip


def file_out(entry: dict[str, Any], show_path: bool) -> FileOut:
    """A file with its streams; the full path only for administrators."""
    f = entry["file"]
    return FileOut(
        **{name: getattr(f, name) for name in _FILE_COLUMNS},
        name=os.path.basename(f.path), path=f.path if show_path else None,
        missing=f.missing_since is not None,
        streams=[StreamOut.model_validate(s, from_attributes=True) for s in entry["streams"]],
    )  # fmt: skip


def state_out(state: UserItemState | None) -> UserStateOut:
    if state is None:
        return UserStateOut()
    return UserStateOut.model_validate(state, from_attributes=True)
