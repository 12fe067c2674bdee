"""A search index over hits held in memory: a title matches when it holds every query word."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.search.index import SearchHit, SearchQuery, SearchResult


class MemorySearchIndex:
    """Implements search.index.SearchIndex. `add` puts a document in; `index` records what
    the catalogue asked to (re)index, so a test can check a change reached the index."""

    def __init__(self) -> None:
        self.hits: dict[tuple[str, uuid.UUID], SearchHit] = {}
        self.indexed: list[tuple[str, uuid.UUID]] = []
        self.rebuilds = 0

    def add(self, hit: SearchHit) -> None:
        self.hits[(hit.item_type, hit.item_id)] = hit

    async def index(self, session: AsyncSession, items: Iterable[tuple[str, uuid.UUID]]) -> int:
        found = list(items)
        self.indexed.extend(found)
        return sum(1 for item in found if item in self.hits)

    async def rebuild(self, session: AsyncSession) -> int:
        self.rebuilds += 1
        return len(self.hits)

    async def search(
        self, session: AsyncSession, query: SearchQuery, allowed: set[uuid.UUID] | None
    ) -> SearchResult:
        words = query.text.casefold().split()
        matches = [
            hit
            for hit in self.hits.values()
            if words
            and all(w in f"{hit.title} {hit.names or ''}".casefold().split() for w in words)
            and (not query.types or hit.item_type in query.types)
            and (allowed is None or hit.library_id in allowed)
            and (query.library_id is None or hit.library_id == query.library_id)
            and (query.year_from is None or (hit.year or 0) >= query.year_from)
            and (query.year_to is None or (hit.year or 9999) <= query.year_to)
            and (query.genre is None or query.genre in hit.genres)
        ]
        matches.sort(key=lambda h: (-h.score, h.title.casefold()))
        totals: dict[str, int] = {}
        for hit in matches:
            totals[hit.item_type] = totals.get(hit.item_type, 0) + 1
        return SearchResult(hits=matches[: query.limit], totals=totals)
