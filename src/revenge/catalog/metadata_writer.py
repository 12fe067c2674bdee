"""The catalogue side of metadata: facts about items and storing what providers found.

Item ids are `<kind>:<uuid>`; movies are enriched today, other kinds answer "no facts" and
are left as scanned.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.movies import metadata_repository as repo
from revenge.catalog.movies.models import Movie
from revenge.catalog.text import sort_title
from revenge.collections.service import add_member, ensure_collection
from revenge.metadata.types import ExternalIds, ItemMetadata
from revenge.metadata.writer import FetchOutcome, ItemFacts

if TYPE_CHECKING:
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)

SEARCH_INDEX = "search.index"
# Merged field -> movie column; ids are handled separately.
_TEXT_FIELDS = ("title", "original_title", "overview")


def item_ref(kind: str, item_id: str | uuid.UUID) -> str:
    """The writer's id of a catalogue item."""
    return f"{kind}:{item_id}"


def parse_ref(ref: str) -> tuple[str, uuid.UUID] | None:
    """(kind, uuid) of an item id; None when it is not one."""
    kind, _, raw = ref.partition(":")
    try:
        return kind, uuid.UUID(raw)
    except ValueError:
        return None


def _current(row: Movie) -> ItemMetadata:
    return ItemMetadata(
        kind="movie",
        title=row.title,
        original_title=row.original_title,
        year=row.year,
        overview=row.overview,
        genres=tuple(row.genres or ()),
        ids=_ids(row),
    )


def _ids(row: Movie) -> ExternalIds:
    return ExternalIds(tmdb=row.tmdb_id, imdb=row.imdb_id, tvdb=row.tvdb_id)


def movie_values(meta: ItemMetadata, locked: frozenset[str]) -> dict[str, Any]:
    """Columns to write: only fields some source knows, never locked ones."""
    values: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = getattr(meta, name)
        if value and name not in locked:
            values[name] = value
    if "title" in values:
        values["sort_title"] = sort_title(meta.sort_title or values["title"])
    if meta.year and "year" not in locked:
        values["year"] = meta.year
    if meta.genres and "genres" not in locked:
        values["genres"] = list(meta.genres)
    for key, value in meta.ids.as_dict().items():
        if key in ("tmdb", "imdb", "tvdb") and f"{key}_id" not in locked:
            values[f"{key}_id"] = value
    return values


def _reason(outcome: FetchOutcome) -> str:
    skipped = "; ".join(outcome.errors.values())
    return f"{outcome.reason} ({skipped})" if skipped else outcome.reason


class CatalogMetadataWriter:
    """`CatalogWriter` over the catalogue tables; runs on the caller's session."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    async def item_facts(self, session: AsyncSession, item_id: str) -> ItemFacts | None:
        ref = parse_ref(item_id)
        if ref is None or ref[0] != "movie":
            return None
        row = await repo.movie(session, ref[1])
        if row is None:
            return None
        path = await repo.main_file_path(session, row.id)
        return ItemFacts(
            item_id=item_id,
            kind="movie",
            title=row.title,
            year=row.year,
            path=Path(path) if path else None,
            ids=_ids(row),
            locked_fields=frozenset(row.locked_fields or ()),
            current=_current(row),
        )

    async def save_metadata(self, session: AsyncSession, outcome: FetchOutcome) -> None:
        ref = parse_ref(outcome.item_id)
        if ref is None or outcome.metadata is None:
            return
        row = await repo.movie(session, ref[1])
        if row is None:
            return
        values = movie_values(outcome.metadata, frozenset(row.locked_fields or ()))
        values |= {"metadata_status": outcome.status, "metadata_reason": _reason(outcome)}
        await repo.save(session, row.id, values)
        await self._collection(session, row, outcome.metadata)
        await self._reindex(session, row.library_id, "movie", row.id)

    async def record_unmatched(self, session: AsyncSession, outcome: FetchOutcome) -> None:
        ref = parse_ref(outcome.item_id)
        if ref is None or ref[0] != "movie":
            return
        values: dict[str, Any] = {"metadata_reason": _reason(outcome)}
        if outcome.metadata is None:
            # A local-only result keeps its "local" status; it is still listed for review.
            values["metadata_status"] = outcome.status
        await repo.save(session, ref[1], values)

    async def stale_items(
        self, session: AsyncSession, fetched_before: datetime, limit: int
    ) -> Sequence[str]:
        return [item_ref("movie", i) for i in await repo.stale(session, fetched_before, limit)]

    async def _collection(self, session: AsyncSession, row: Movie, meta: ItemMetadata) -> None:
        ref = meta.collection
        if ref is None or not ref.ids.tmdb or not ref.name:
            return
        cid = await ensure_collection(session, row.library_id, "tmdb", ref.ids.tmdb, ref.name)
        await add_member(session, cid, "movie", row.id)

    async def _reindex(
        self, session: AsyncSession, library_id: uuid.UUID, kind: str, item_id: uuid.UUID
    ) -> None:
        await reindex(self._runtime, session, library_id, kind, item_id)


async def reindex(
    runtime: Runtime, session: AsyncSession, library_id: uuid.UUID, kind: str, item_id: uuid.UUID
) -> None:
    """Queue the item's search document to be rebuilt after a change."""
    if SEARCH_INDEX not in runtime.registry.tasks:
        return
    payload = {"library_id": str(library_id), "items": [{"kind": kind, "id": str(item_id)}]}
    # No dedupe key: a run already in progress may have read the item before this change.
    await runtime.jobs.enqueue(session, SEARCH_INDEX, payload)
