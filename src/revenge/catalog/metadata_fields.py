"""Turning merged metadata into column values, credits and ratings, the same way for every kind.

A None or empty value means "no source knows it" and never erases what is stored; a locked
field (a person's edit) is never written by a fetch.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, cast

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import metadata_repository as shared
from revenge.catalog.people.repository import Credit, replace_credits
from revenge.catalog.text import norm, sort_title
from revenge.metadata.types import ExternalIds, ItemKind, ItemMetadata, Person
from revenge.metadata.writer import FetchOutcome, ItemFacts

# Rating sources read on a 0-10 scale, preferred in this order; others are ignored.
_RATING_SOURCES = ("tmdb", "tvdb", "imdb", "themoviedb", "nfo", "default")
# Person ids tried in this order to recognise the same person across items.
_PERSON_KEYS = ("tmdb", "tvdb", "musicbrainz", "imdb")
MAX_CREDITS = 60


def text_values(
    meta: ItemMetadata, locked: frozenset[str], fields: Iterable[tuple[str, str]]
) -> dict[str, Any]:
    """`(metadata field, column)` pairs some source knows and nobody locked."""
    values: dict[str, Any] = {}
    for name, column in fields:
        value = getattr(meta, name)
        if value and column not in locked:
            values[column] = list(value) if isinstance(value, tuple) else value
    return values


def title_values(
    meta: ItemMetadata, locked: frozenset[str], title_column: str = "title"
) -> dict[str, Any]:
    """Title and its sort key, unless the title is locked."""
    if not meta.title or title_column in locked:
        return {}
    sort_column = "sort_name" if title_column == "name" else "sort_title"
    return {title_column: meta.title, sort_column: sort_title(meta.sort_title or meta.title)}


def id_values(
    ids: ExternalIds, locked: frozenset[str], keys: Iterable[str] = ("tmdb", "imdb", "tvdb")
) -> dict[str, Any]:
    return {
        f"{key}_id": value
        for key, value in ids.as_dict().items()
        if key in keys and f"{key}_id" not in locked
    }


def described_values(
    meta: ItemMetadata, locked: frozenset[str], text: Iterable[tuple[str, str]], *,
    ids: Iterable[str] = ("tmdb", "imdb", "tvdb"), scores: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """The columns of a described row: title, `text` fields, year, provider `ids` and (with
    `scores`) rating and runtime, each only when some source knows it and nobody locked it."""
    values = title_values(meta, locked) | text_values(meta, locked, text)
    if meta.year and "year" not in locked:
        values["year"] = meta.year
    values |= id_values(meta.ids, locked, ids)
    return values | score_values(meta, locked) if scores else values


def community_rating(meta: ItemMetadata) -> float | None:
    """The audience score out of 10 from the most trusted source that has one."""
    by_source = {r.source.lower(): r.value for r in meta.ratings if 0 <= r.value <= 10}
    for source in _RATING_SOURCES:
        if source in by_source:
            return round(by_source[source], 2)
    return None


def score_values(meta: ItemMetadata, locked: frozenset[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    rating = community_rating(meta)
    if rating is not None and "community_rating" not in locked:
        values["community_rating"] = rating
    if meta.runtime_minutes and 0 < meta.runtime_minutes < 100_000:
        values["runtime_minutes"] = meta.runtime_minutes
    return values


def parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def person_key(person: Person) -> str:
    ids = person.ids.as_dict()
    for key in _PERSON_KEYS:
        if key in ids:
            return f"{key}:{ids[key]}"
    return f"name:{norm(person.name)}"[:120]


def credits(meta: ItemMetadata) -> list[Credit]:
    """Cast in billing order first, then crew in the source's order."""
    cast = sorted(
        (p for p in meta.people if p.role == "actor"),
        key=lambda p: (p.order is None, p.order or 0),
    )
    crew = [p for p in meta.people if p.role != "actor"]
    seen: set[tuple[str, str]] = set()
    found: list[Credit] = []
    for p in [*cast, *crew]:
        key = person_key(p)
        if not p.name.strip() or (key, p.role) in seen:
            continue
        seen.add((key, p.role))
        found.append(Credit(key, p.name.strip(), p.role, p.character, p.ids.as_dict(), p.image_url))
    return found[:MAX_CREDITS]


def outcome_reason(outcome: FetchOutcome) -> str:
    skipped = "; ".join(outcome.errors.values())
    return f"{outcome.reason} ({skipped})" if skipped else outcome.reason


def status_values(outcome: FetchOutcome) -> dict[str, Any]:
    return {"metadata_status": outcome.status, "metadata_reason": outcome_reason(outcome)}


@dataclass
class Saved:
    """What a save touched: items whose search documents change, artwork still to fetch."""

    library_id: uuid.UUID
    reindex: list[tuple[str, uuid.UUID]] = field(default_factory=list)
    artwork: list[dict[str, Any]] = field(default_factory=list)
    # Items to fetch again because what they depend on changed (`<kind>:<uuid>` ids).
    refetch: list[str] = field(default_factory=list)
    # Provider collections the item belongs to (a film series), kept by the collections
    # feature when it is wired in.
    collections: list[Membership] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Membership:
    """An item's place in a provider's collection: (source, external id, name) and the item."""

    source: str
    external_id: str
    name: str
    item_kind: str
    item_id: uuid.UUID


# Adds an item to the automatic collection a provider named, on the caller's session.
Collector = Callable[[AsyncSession, uuid.UUID, Membership], Awaitable[None]]


Stale = tuple[uuid.UUID, datetime | None]


class KindMetadata(Protocol):
    """One content kind's side of `CatalogWriter`, over its own metadata repository."""

    async def facts(
        self, session: AsyncSession, ref: str, item_id: uuid.UUID
    ) -> ItemFacts | None: ...

    async def save(
        self, session: AsyncSession, item_id: uuid.UUID, outcome: FetchOutcome
    ) -> Saved | None:
        """Store merged metadata and stamp the fetch time; None when the item is gone."""
        ...

    async def mark(self, session: AsyncSession, item_id: uuid.UUID, values: dict[str, Any]) -> None:
        """Set the metadata status and reason only."""
        ...

    async def stale(self, session: AsyncSession, before: datetime, limit: int) -> Sequence[Stale]:
        """Items never fetched or fetched before `before`, oldest first, with that time."""
        ...


class RowWriter:
    """The save every kind's writer does: its values and the fetch status on its row (of
    `model`), then its credits; `after_save` adds what is particular to the kind."""

    kind: str
    model: type[Any]
    # What `values` writes (see `described_values`): (metadata field, column) texts, the
    # provider ids, and rating and runtime when `scores`; never a field a person locked.
    text: tuple[tuple[str, str], ...] = ()
    ids: tuple[str, ...] = ("tmdb", "imdb", "tvdb")
    scores: bool = False

    async def store(
        self, session: AsyncSession, item_id: uuid.UUID, values: dict[str, Any]
    ) -> None:
        """Write columns of the row and stamp its fetch time."""
        await shared.save_fetched(session, self.model, item_id, values)

    async def row(self, session: AsyncSession, item_id: uuid.UUID) -> Any:
        return await shared.get_row(session, self.model, item_id)

    async def stale(self, session: AsyncSession, before: datetime, limit: int) -> Sequence[Stale]:
        return await shared.stale(session, self.model, before, limit)

    def values(self, meta: ItemMetadata, row: Any) -> dict[str, Any]:
        return described_values(meta, locked(row), self.text, ids=self.ids, scores=self.scores)

    def described(self, ref: str, row: Any, path: Path | None, **more: Any) -> ItemFacts:
        """The facts every kind gives about its row (its title, year and locked fields)."""
        return ItemFacts(
            item_id=ref, kind=cast(ItemKind, self.kind), title=row.title, year=row.year, path=path,
            locked_fields=locked(row), **more,
        )  # fmt: skip

    async def describe(self, session: AsyncSession, ref: str, row: Any) -> ItemFacts:
        """What the providers are asked about the row `ref`."""
        raise NotImplementedError

    async def facts(self, session: AsyncSession, ref: str, item_id: uuid.UUID) -> ItemFacts | None:
        row = await self.row(session, item_id)
        return None if row is None else await self.describe(session, ref, row)

    async def after_save(
        self, session: AsyncSession, row: Any, meta: ItemMetadata, outcome: FetchOutcome,
        saved: Saved,
    ) -> None:  # fmt: skip
        return None

    async def save(
        self, session: AsyncSession, item_id: uuid.UUID, outcome: FetchOutcome
    ) -> Saved | None:
        row = await self.row(session, item_id)
        if row is None or outcome.metadata is None:
            return None
        meta = outcome.metadata
        await self.store(session, row.id, self.values(meta, row) | status_values(outcome))
        if meta.people:
            await replace_credits(session, self.kind, row.id, credits(meta))
        saved = Saved(row.library_id, [(self.kind, row.id)])
        await self.after_save(session, row, meta, outcome, saved)
        return saved

    async def mark(self, session: AsyncSession, item_id: uuid.UUID, values: dict[str, Any]) -> None:
        await self.store(session, item_id, values)


def locked(row: Any) -> frozenset[str]:
    """The fields a person locked on a catalogue row (none where the kind has no locks)."""
    return frozenset(getattr(row, "locked_fields", None) or ())
