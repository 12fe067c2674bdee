"""Audiobooks' side of the metadata writer: embedded tags first, then the audiobook provider.

Tags follow the common convention (album = title, album artist = author, composer =
narrator). Authors and narrators read by the scanner stay as they are; a provider only fills
a role nobody is credited in yet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import metadata_repository as shared
from revenge.catalog.audiobooks import metadata_repository as repo
from revenge.catalog.audiobooks.models import Audiobook
from revenge.catalog.metadata_fields import RowWriter, Saved
from revenge.metadata.types import ExternalIds, ItemMetadata
from revenge.metadata.writer import FetchOutcome, ItemFacts

_TEXT = (("overview", "description"), ("genres", "genres"))


class AudiobookWriter(RowWriter):
    kind, model, text, ids = "audiobook", Audiobook, _TEXT, ("musicbrainz",)

    async def describe(self, session: AsyncSession, ref: str, row: Any) -> ItemFacts:
        file = await shared.main_file_path(session, "audiobook", row.id)
        authors = (await repo.credited(session, row.id))["author"]
        ids = ExternalIds(musicbrainz=row.musicbrainz_id)
        return self.described(
            ref, row, Path(file) if file else None, ids=ids,
            artist=authors[0] if authors else None,
            current=ItemMetadata(kind="audiobook", ids=ids),
        )  # fmt: skip

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
