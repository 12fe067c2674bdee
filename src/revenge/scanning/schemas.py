"""Library API payloads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from revenge.api.text import NOT_BLANK
from revenge.catalog.registry import KINDS
from revenge.infra.records import RowOut

# One per registered content module (a string to the type checker).
if TYPE_CHECKING:
    LibraryType = str
else:
    LibraryType = Literal[tuple(m.library_type for m in KINDS.modules)]
ScanType = Literal["full", "incremental"]


Name = Annotated[str, Field(min_length=1, max_length=200, pattern=NOT_BLANK)]
# Folders must also exist and be readable on the server, which no schema can say.
Folder = Annotated[
    str, Field(min_length=1, max_length=4096, description="An absolute folder path.")
]


class LibraryIn(BaseModel):
    name: Name
    type: LibraryType
    paths: list[Folder] = Field(min_length=1, max_length=32)
    enabled: bool = True
    preferred_language: str | None = Field(None, max_length=16)
    scan_settings: dict[str, Any] = Field(
        default_factory=dict,
        description='Scan options; {"full_walk": true} lists every folder on every rescan'
        " (for disks whose folder mtimes cannot be trusted; network mounts are detected).",
    )
    scan: bool = Field(True, description="Queue a full scan of the new library right away.")


class LibraryPatch(BaseModel):
    # Omitted means unchanged; only the preferred language may be cleared with null.
    name: Name | SkipJsonSchema[None] = None
    paths: Annotated[list[Folder], Field(min_length=1, max_length=32)] | SkipJsonSchema[None] = None
    enabled: bool | SkipJsonSchema[None] = None
    preferred_language: str | None = Field(None, max_length=16)
    scan_settings: dict[str, Any] | SkipJsonSchema[None] = None


class LibraryOut(RowOut):
    id: uuid.UUID
    name: str
    type: str
    enabled: bool
    paths: list[str]
    preferred_language: str | None
    created_at: datetime
    updated_at: datetime
    scan_id: uuid.UUID | None = Field(
        None, description="On creation: the scan queued for the new library."
    )


class ScanIn(BaseModel):
    type: ScanType = "incremental"


class ScanOut(BaseModel):
    id: uuid.UUID
    library_id: uuid.UUID
    type: str
    status: str
    phase: str | None
    folders: list[str] | None
    files_seen: int
    files_processed: int
    files_added: int
    files_updated: int
    files_moved: int
    files_missing: int
    files_failed: int
    started_at: datetime
    finished_at: datetime | None
    error: str | None


# What the failed and missing file listings say of every file.
class _FileOut(RowOut):
    id: uuid.UUID
    path: str
    kind: str
    size: int


class FailedFile(_FileOut):
    reason: str | None
    updated_at: datetime


class MissingFile(_FileOut):
    missing_since: datetime


# A page of a file listing; each listing names its own kind of item.
class _FilePage(BaseModel):
    items: Sequence[_FileOut]
    total: int
    limit: int
    offset: int


class MissingFilePage(_FilePage):
    items: list[MissingFile]


class FailedFilePage(_FilePage):
    items: list[FailedFile]
