"""The seam to the catalogue: what the metadata service reads about an item and writes back.

The catalogue feature implements `CatalogWriter` over its own tables; every method runs on
the session of the transaction the caller (a job or a request) owns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.metadata.matching import MatchQuery, Scored
from revenge.metadata.types import ExternalIds, ItemMetadata, SeasonType

OutcomeStatus = Literal["matched", "local", "ambiguous", "unmatched"]


@dataclass(frozen=True, kw_only=True)
class ItemFacts(MatchQuery):
    """What the catalogue knows about an item before enrichment: what a search is scored
    against (`MatchQuery`), and where the item is, its ids and what is locked."""

    item_id: str
    path: Path | None = None
    ids: ExternalIds = field(default_factory=ExternalIds)
    parent_ids: ExternalIds = field(default_factory=ExternalIds)
    season: int | None = None
    episode: int | None = None
    season_type: SeasonType = "default"
    language: str | None = None
    locked_fields: frozenset[str] = frozenset()
    current: ItemMetadata | None = None


@dataclass(frozen=True)
class ProviderMatch:
    """How a provider's record was chosen: by a known id, by search, or by a person."""

    provider: str
    provider_id: str
    method: Literal["id", "search", "user"]
    confidence: float


@dataclass(frozen=True)
class FetchOutcome:
    item_id: str
    status: OutcomeStatus
    metadata: ItemMetadata | None
    reason: str = ""
    matches: tuple[ProviderMatch, ...] = ()
    provenance: dict[str, str] = field(default_factory=dict)
    candidates: tuple[Scored, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)
    # Providers that were down or timed out: worth asking again later.
    unavailable: tuple[str, ...] = ()

    @property
    def needs_review(self) -> bool:
        """Left for a person: nothing matched remotely and there were candidates or none."""
        return self.status in ("ambiguous", "unmatched") or (
            self.status == "local" and bool(self.candidates)
        )


class CatalogWriter(Protocol):
    async def item_facts(self, session: AsyncSession, item_id: str) -> ItemFacts | None:
        """The item's facts, or None when it no longer exists."""
        ...

    async def save_metadata(self, session: AsyncSession, outcome: FetchOutcome) -> None:
        """Store merged metadata and stamp the fetch time.

        Locked fields already hold their current values; a None or empty field means "no
        source knows it" and must not erase what is stored.
        """
        ...

    async def record_unmatched(self, session: AsyncSession, outcome: FetchOutcome) -> None:
        """List the item for a person to identify, with the reason and the candidates seen."""
        ...

    async def record_reason(self, session: AsyncSession, item_id: str, reason: str) -> None:
        """Replace only the item's metadata reason (why the last fetch did not finish)."""
        ...

    async def waiting_for(self, session: AsyncSession, provider: str, limit: int) -> list[str]:
        """Items left unmatched because of `provider` (its reason names it)."""
        ...

    async def stale_items(
        self, session: AsyncSession, fetched_before: datetime, limit: int
    ) -> Sequence[str]:
        """Ids of items whose metadata was last fetched before `fetched_before`."""
        ...
