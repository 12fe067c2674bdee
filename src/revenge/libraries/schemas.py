"""Library API payloads."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

LibraryType = Literal["movie", "tv", "music", "audiobook", "podcast"]
ScanType = Literal["full", "incremental"]


class LibraryIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    type: LibraryType
    paths: list[str] = Field(min_length=1, max_length=32)
    enabled: bool = True
    preferred_language: str | None = Field(None, max_length=16)
    scan_settings: dict[str, Any] = Field(default_factory=dict)


class LibraryPatch(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=200)
    paths: list[str] | None = Field(None, min_length=1, max_length=32)
    enabled: bool | None = None
    preferred_language: str | None = Field(None, max_length=16)
    scan_settings: dict[str, Any] | None = None


class LibraryOut(BaseModel):
    id: uuid.UUID
    name: str
    type: str
    enabled: bool
    paths: list[str]
    preferred_language: str | None
    created_at: datetime
    updated_at: datetime


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


class FailedFile(BaseModel):
    id: uuid.UUID
    path: str
    kind: str
    size: int
    reason: str | None
    updated_at: datetime


class FailedFilePage(BaseModel):
    items: list[FailedFile]
    total: int
    limit: int
    offset: int
