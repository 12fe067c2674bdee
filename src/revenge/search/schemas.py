"""API payloads of search."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field


class SearchHitOut(BaseModel):
    type: str
    id: uuid.UUID
    library_id: uuid.UUID
    title: str
    names: str | None
    year: int | None
    genres: list[str]
    score: float


class SearchOut(BaseModel):
    query: str
    items: list[SearchHitOut]
    totals: dict[str, int]
    totals_exact: bool = Field(
        description="False when a very broad query's totals were counted only up to a cap."
    )
    groups: dict[str, list[SearchHitOut]]


class RebuildOut(BaseModel):
    job_id: int | None
