"""API payloads of search."""

from __future__ import annotations

from pydantic import BaseModel, Field
from pydantic.dataclasses import dataclass

from revenge.search.index import SearchHit


# The index's hit as the API answers it (a docstring here would join the schema).
@dataclass
class SearchHitOut(SearchHit):
    pass


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
