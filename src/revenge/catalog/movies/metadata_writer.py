"""Movies' side of the metadata writer: facts for matching, and storing what was found."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.metadata_fields import (
    Membership,
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

    async def describe(self, session: AsyncSession, ref: str, row: Movie) -> ItemFacts:
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
        ref = meta.collection
        if ref is not None and ref.ids.tmdb and ref.name:
            found = Membership("tmdb", ref.ids.tmdb, ref.name, "movie", row.id)
            saved.collections.append(found)

    async def stale(self, session: AsyncSession, before: datetime, limit: int) -> Sequence[Stale]:
        return await repo.stale(session, before, limit)
