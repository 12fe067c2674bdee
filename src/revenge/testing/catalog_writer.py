"""An in-memory CatalogWriter standing in for the catalogue tables (metadata tests, benches)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.metadata.writer import FetchOutcome, ItemFacts


class MemoryWriter:
    """The catalogue writer of metadata fetches, over dicts; `add` seeds items."""

    def __init__(self) -> None:
        self.items: dict[str, ItemFacts] = {}
        self.saved: dict[str, FetchOutcome] = {}
        self.unmatched: dict[str, FetchOutcome] = {}
        self.reasons: dict[str, str] = {}
        self.fetched_at: dict[str, datetime] = {}

    def add(self, facts: ItemFacts) -> None:
        self.items[facts.item_id] = facts

    def edit(self, item_id: str, **fields: Any) -> None:
        """A person edits fields: they change and are locked."""
        facts = self.items[item_id]
        assert facts.current is not None
        self.items[item_id] = replace(
            facts,
            current=replace(facts.current, **fields),
            locked_fields=facts.locked_fields | set(fields),
        )

    async def item_facts(self, session: AsyncSession, item_id: str) -> ItemFacts | None:
        return self.items.get(item_id)

    async def save_metadata(self, session: AsyncSession, outcome: FetchOutcome) -> None:
        self.saved[outcome.item_id] = outcome
        self.unmatched.pop(outcome.item_id, None)
        self.fetched_at[outcome.item_id] = datetime.now(UTC)
        facts = self.items[outcome.item_id]
        self.items[outcome.item_id] = replace(facts, current=outcome.metadata)

    async def record_unmatched(self, session: AsyncSession, outcome: FetchOutcome) -> None:
        self.unmatched[outcome.item_id] = outcome

    async def record_reason(self, session: AsyncSession, item_id: str, reason: str) -> None:
        self.reasons[item_id] = reason

    async def waiting_for(self, session: AsyncSession, provider: str, limit: int) -> list[str]:
        return [i for i, r in self.reasons.items() if f"{provider}:" in r][:limit]

    async def stale_items(
        self, session: AsyncSession, fetched_before: datetime, limit: int
    ) -> Sequence[str]:
        stale = [
            i
            for i in self.items
            if self.fetched_at.get(i, datetime.min.replace(tzinfo=UTC)) < fetched_before
        ]
        return stale[:limit]
