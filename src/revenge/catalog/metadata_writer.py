"""The catalogue side of metadata: facts about items and storing what providers found.

Item ids are `<kind>:<uuid>`. Each content kind answers through the writer its declaration
names (`catalog/<kind>/metadata_writer.py`, SQL in its `metadata_repository.py`); this
dispatcher routes by kind and does what is common: status and reason, search reindexing,
artwork that a save discovered for other items. Tracks and artists are described through
their album (one MusicBrainz release answers for every track), so they have no writer.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.index_tasks import IndexedItem, IndexItems, index_items
from revenge.catalog.metadata_fields import Collector, KindMetadata, Stale, outcome_reason
from revenge.catalog.movies.metadata_writer import movie_values
from revenge.catalog.people.repository import photos_to_fetch
from revenge.catalog.registry import KINDS
from revenge.images.tasks import download_jobs
from revenge.infra.jobs.types import enqueue_many
from revenge.metadata.tasks import FetchMetadata, fetch_metadata
from revenge.metadata.writer import FetchOutcome, ItemFacts

if TYPE_CHECKING:
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)

__all__ = ["CatalogMetadataWriter", "item_ref", "movie_values", "parse_ref", "reindex"]


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


def kind_writers() -> dict[str, KindMetadata]:
    """The writer of every kind that declares one."""
    return {k.name: k.writer() for k in KINDS if k.writer is not None}


class CatalogMetadataWriter:
    """`CatalogWriter` over the catalogue tables; runs on the caller's session."""

    def __init__(self, runtime: Runtime, collect: Collector | None = None) -> None:
        self._runtime = runtime
        self._kinds = kind_writers()
        self._collect = collect

    def _route(self, ref: str) -> tuple[KindMetadata, uuid.UUID] | None:
        parsed = parse_ref(ref)
        if parsed is None or parsed[0] not in self._kinds:
            return None
        return self._kinds[parsed[0]], parsed[1]

    async def item_facts(self, session: AsyncSession, item_id: str) -> ItemFacts | None:
        routed = self._route(item_id)
        return await routed[0].facts(session, item_id, routed[1]) if routed else None

    async def save_metadata(self, session: AsyncSession, outcome: FetchOutcome) -> None:
        routed = self._route(outcome.item_id)
        if routed is None or outcome.metadata is None:
            return
        saved = await routed[0].save(session, routed[1], outcome)
        if saved is None:
            return
        if self._collect is not None:
            for membership in saved.collections:
                await self._collect(session, saved.library_id, membership)
        await reindex_many(self._runtime, session, saved.library_id, saved.reindex)
        artwork = [*saved.artwork, *await _photos(session, outcome.item_id)]
        await enqueue_many(session, download_jobs(artwork))
        if saved.refetch:
            await fetch_metadata.enqueue(session, FetchMetadata(item_ids=saved.refetch))

    async def record_unmatched(self, session: AsyncSession, outcome: FetchOutcome) -> None:
        routed = self._route(outcome.item_id)
        if routed is None:
            return
        values: dict[str, Any] = {"metadata_reason": outcome_reason(outcome)}
        if outcome.metadata is None:
            # A local-only result keeps its "local" status; it is still listed for review.
            values["metadata_status"] = outcome.status
        await routed[0].mark(session, routed[1], values)

    async def record_reason(self, session: AsyncSession, item_id: str, reason: str) -> None:
        # Not through `mark`: that stamps the fetch time, and an item waiting for a provider
        # must stay due for the next refresh.
        parsed = parse_ref(item_id)
        kind = KINDS.get(parsed[0]) if parsed else None
        model = kind.model if kind is not None and kind.writer is not None else None
        if parsed is not None and model is not None:
            await session.execute(
                update(model).where(model.id == parsed[1]).values(metadata_reason=reason[:2000])
            )

    async def waiting_for(self, session: AsyncSession, provider: str, limit: int) -> list[str]:
        """Items not matched whose reason names `provider` (no key, down...), oldest first."""
        found: list[str] = []
        for kind in self._kinds:
            model = KINDS[kind].model
            rows = await session.execute(
                select(model.id)
                .where(
                    model.metadata_status.is_distinct_from("matched"),
                    model.metadata_reason.contains(f"{provider}:"),
                )
                .order_by(model.id)
                .limit(limit - len(found))
            )
            found += [item_ref(kind, i) for i in rows.scalars()]
            if len(found) >= limit:
                break
        return found

    async def stale_items(
        self, session: AsyncSession, fetched_before: datetime, limit: int
    ) -> Sequence[str]:
        """The oldest items of every kind together, never fetched ones first."""
        found: list[tuple[Stale, str]] = []
        for kind, writer in self._kinds.items():
            found.extend((s, kind) for s in await writer.stale(session, fetched_before, limit))
        found.sort(key=lambda f: (f[0][1] is not None, f[0][1] or datetime.min))
        return [item_ref(kind, s[0]) for s, kind in found[:limit]]


async def _photos(session: AsyncSession, ref: str) -> list[dict[str, Any]]:
    """Downloads of the photos of the item's credited people not stored yet."""
    parsed = parse_ref(ref)
    if parsed is None:
        return []
    return [
        {"url": url, "target": {"item_id": item_ref("person", person_id), "kind": "photo"}}
        for person_id, url in await photos_to_fetch(session, *parsed)
    ]


async def reindex(
    runtime: Runtime, session: AsyncSession, library_id: uuid.UUID, kind: str, item_id: uuid.UUID
) -> None:
    """Queue the item's search document to be rebuilt after a change."""
    await reindex_many(runtime, session, library_id, [(kind, item_id)])


async def reindex_many(
    runtime: Runtime,
    session: AsyncSession,
    library_id: uuid.UUID,
    items: Sequence[tuple[str, uuid.UUID]],
) -> None:
    """Queue one search job rebuilding the documents of `items`."""
    if not items:
        return
    indexed = [IndexedItem(kind=kind, id=item_id) for kind, item_id in items]
    # No dedupe key: a run already in progress may have read the item before this change.
    await index_items.enqueue(session, IndexItems(library_id=library_id, items=indexed))
