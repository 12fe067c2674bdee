"""Movies' side of the metadata writer: facts for matching, and storing what was found."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.metadata_fields import (
    RowWriter,
    Saved,
    Stale,
    id_values,
    locked,
    score_values,
    text_values,
    title_values,
)
from revenge.catalog.movies import metadata_repository as repo
from revenge.catalog.movies.models import Movie
from revenge.collections.service import add_member, ensure_collection
from revenge.metadata.types import ExternalIds, ItemMetadata
from revenge.metadata.writer import FetchOutcome, ItemFacts

_TEXT = (("original_title", "original_title"), ("overview", "overview"), ("genres", "genres"))


def _ids(row: Movie) -> ExternalIds:
    return ExternalIds(tmdb=row.tmdb_id, imdb=row.imdb_id, tvdb=row.tvdb_id)


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


def movie_values(meta: ItemMetadata, locked: frozenset[str]) -> dict[str, Any]:
    """Columns to write: only fields some source knows, never locked ones."""
    values = title_values(meta, locked) | text_values(meta, locked, _TEXT)
    if meta.year and "year" not in locked:
        values["year"] = meta.year
    return values | id_values(meta.ids, locked) | score_values(meta, locked)


class MovieWriter(RowWriter):
    store = staticmethod(repo.save)
    kind = "movie"

    async def facts(self, session: AsyncSession, ref: str, item_id: uuid.UUID) -> ItemFacts | None:
        row = await repo.movie(session, item_id)
        if row is None:
            return None
        path = await repo.main_file_path(session, row.id)
        return ItemFacts(
            item_id=ref,
            kind="movie",
            title=row.title,
            year=row.year,
            path=Path(path) if path else None,
            ids=_ids(row),
            locked_fields=frozenset(row.locked_fields or ()),
            current=_current(row),
        )

    async def row(self, session: AsyncSession, item_id: uuid.UUID) -> Movie | None:
        return await repo.movie(session, item_id)

    def values(self, meta: ItemMetadata, row: Movie) -> dict[str, Any]:
        return movie_values(meta, locked(row))

    async def after_save(
        self, session: AsyncSession, row: Movie, meta: ItemMetadata, outcome: FetchOutcome,
        saved: Saved,
    ) -> None:  # fmt: skip
        await _collection(session, row, meta)

    async def stale(self, session: AsyncSession, before: datetime, limit: int) -> Sequence[Stale]:
        return await repo.stale(session, before, limit)


async def _collection(session: AsyncSession, row: Movie, meta: ItemMetadata) -> None:
    ref = meta.collection
    if ref is None or not ref.ids.tmdb or not ref.name:
        return
    cid = await ensure_collection(session, row.library_id, "tmdb", ref.ids.tmdb, ref.name)
    await add_member(session, cid, "movie", row.id)
