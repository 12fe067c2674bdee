"""Movies' side of the metadata writer: facts for matching, and storing what was found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import metadata_repository as repo
from revenge.catalog.metadata_fields import Membership, RowWriter, Saved, described_values
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
    return described_values(meta, locked, _TEXT, scores=True)


class MovieWriter(RowWriter):
    kind, model, text, scores = "movie", Movie, _TEXT, True

    async def describe(self, session: AsyncSession, ref: str, row: Movie) -> ItemFacts:
        path = await repo.main_file_path(session, "movie", row.id)
        return self.described(
            ref, row, Path(path) if path else None, ids=_ids(row), current=_current(row)
        )

    async def after_save(
        self, session: AsyncSession, row: Movie, meta: ItemMetadata, outcome: FetchOutcome,
        saved: Saved,
    ) -> None:  # fmt: skip
        ref = meta.collection
        if ref is not None and ref.ids.tmdb and ref.name:
            found = Membership("tmdb", ref.ids.tmdb, ref.name, "movie", row.id)
            saved.collections.append(found)
