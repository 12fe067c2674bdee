"""Audiobooks' side of the metadata writer: embedded tags first, then the audiobook provider.

Tags follow the common convention (album = title, album artist = author, composer =
narrator). Authors and narrators read by the scanner stay as they are; a provider only fills
a role nobody is credited in yet.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.audiobooks import metadata_repository as repo
from revenge.catalog.metadata_fields import (
    RowWriter,
    Saved,
    Stale,
    id_values,
    text_values,
    title_values,
)
from revenge.metadata.types import ExternalIds, ItemMetadata
from revenge.metadata.writer import FetchOutcome, ItemFacts

_TEXT = (("overview", "description"), ("genres", "genres"))


def book_values(meta: ItemMetadata) -> dict[str, Any]:
    none: frozenset[str] = frozenset()
    values = title_values(meta, none) | text_values(meta, none, _TEXT)
    if meta.year:
        values["year"] = meta.year
    return values | id_values(meta.ids, none, ("musicbrainz",))


class AudiobookWriter(RowWriter):
    store = staticmethod(repo.save_book)
    kind = "audiobook"

    async def describe(self, session: AsyncSession, ref: str, row: Any) -> ItemFacts:
        file = await repo.book_file(session, row.id)
        authors = (await repo.credited(session, row.id))["author"]
        return ItemFacts(
            item_id=ref,
            kind="audiobook",
            title=row.title,
            year=row.year,
            path=Path(file) if file else None,
            ids=ExternalIds(musicbrainz=row.musicbrainz_id),
            artist=authors[0] if authors else None,
            current=ItemMetadata(kind="audiobook", ids=ExternalIds(musicbrainz=row.musicbrainz_id)),
        )

    async def row(self, session: AsyncSession, item_id: uuid.UUID) -> Any:
        return await repo.book(session, item_id)

    def values(self, meta: ItemMetadata, row: Any) -> dict[str, Any]:
        return book_values(meta)

    async def after_save(
        self, session: AsyncSession, row: Any, meta: ItemMetadata, outcome: FetchOutcome,
        saved: Saved,
    ) -> None:  # fmt: skip
        if not meta.people:
            return
        known = await repo.credited(session, row.id)
        for role in ("author", "narrator"):
            if not known.get(role):
                names = list(dict.fromkeys(p.name for p in meta.people if p.role == role))
                await repo.add_people(session, row.id, role, names)

    async def stale(self, session: AsyncSession, before: datetime, limit: int) -> Sequence[Stale]:
        return await repo.stale_books(session, before, limit)
