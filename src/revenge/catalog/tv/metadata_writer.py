"""TV's side of the metadata writer: series (from their folder) and episodes (from their file).

A series' folder is the first folder under the library root, where `tvshow.nfo`, `poster.jpg`
and `{tvdb-81189}`-style ids live. A matched series also describes its episodes that no fetch
of their own has described yet (typically because they were fetched before the series was
identified), so a library needs one provider answer per series, not one per episode.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import metadata_repository as shared
from revenge.catalog.metadata_fields import (
    RowWriter,
    Saved,
    id_values,
    parse_date,
    score_values,
    text_values,
)
from revenge.catalog.tv import metadata_repository as repo
from revenge.catalog.tv.models import Episode, Series
from revenge.metadata.types import EpisodeMetadata, ExternalIds, ItemMetadata, SeasonType
from revenge.metadata.writer import FetchOutcome, ItemFacts

SEASON_TYPES = ("default", "absolute", "dvd")
_SERIES_TEXT = (
    ("original_title", "original_title"),
    ("overview", "overview"),
    ("genres", "genres"),
)
_EPISODE_TEXT = (("title", "title"), ("overview", "overview"))


def series_ids(row: Series) -> ExternalIds:
    return ExternalIds(tmdb=row.tmdb_id, imdb=row.imdb_id, tvdb=row.tvdb_id)


def series_folder(file: str | None, roots: list[Path]) -> Path | None:
    """The first folder under the library root holding `file`; None for a file in the root."""
    if file is None:
        return None
    path = Path(file)
    for root in roots:
        try:
            rel = path.relative_to(root)
        except ValueError:
            continue
        return root / rel.parts[0] if len(rel.parts) > 1 else None
    return None


def season_type(options: dict[str, Any]) -> SeasonType:
    """The library's episode order (`episode_order` scan setting), broadcast order by default."""
    value = options.get("episode_order")
    return cast(SeasonType, value) if value in SEASON_TYPES else "default"


def episode_values(meta: ItemMetadata) -> dict[str, Any]:
    values = text_values(meta, frozenset(), _EPISODE_TEXT) | id_values(meta.ids, frozenset())
    air_date = parse_date(meta.release_date)
    if air_date is not None:
        values["air_date"] = air_date
    return values | score_values(meta, frozenset())


class SeriesWriter(RowWriter):
    kind, model, text, scores = "series", Series, _SERIES_TEXT, True

    async def describe(self, session: AsyncSession, ref: str, row: Series) -> ItemFacts:
        roots = await shared.library_roots(session, row.library_id)
        options, language = await shared.library_options(session, row.library_id)
        return self.described(
            ref, row, series_folder(await repo.series_file(session, row.id), roots),
            ids=series_ids(row), season_type=season_type(options), language=language,
            current=ItemMetadata(
                kind="series", title=row.title, original_title=row.original_title,
                year=row.year, overview=row.overview, genres=tuple(row.genres or ()),
                ids=series_ids(row),
            ),
        )  # fmt: skip

    async def after_save(
        self, session: AsyncSession, row: Series, meta: ItemMetadata, outcome: FetchOutcome,
        saved: Saved,
    ) -> None:  # fmt: skip
        if any(m.method == "user" for m in outcome.matches):
            # A person corrected the match: every episode is described again, its own NFO
            # still winning, against the series they picked.
            saved.refetch = [f"episode:{i}" for i in await repo.episode_ids(session, row.id)]
        elif meta.episodes:
            await _fill_episodes(session, row.id, meta.episodes, outcome, saved)


def _find(episodes: Sequence[EpisodeMetadata], row: Episode) -> EpisodeMetadata | None:
    for e in episodes:
        if e.season == row.season_number and e.number is not None and e.number == row.number:
            return e
    if row.absolute_number is not None:
        return next((e for e in episodes if e.absolute_number == row.absolute_number), None)
    return None


async def _fill_episodes(
    session: AsyncSession,
    series_id: uuid.UUID,
    episodes: Sequence[EpisodeMetadata],
    outcome: FetchOutcome,
    saved: Saved,
) -> None:
    """Describe the series' not yet described episodes from the series' episode list."""
    reason = f"from the series ({outcome.reason})"
    for row in await repo.episodes_without_metadata(session, series_id):
        found = _find(episodes, row)
        if found is None:
            continue
        meta = ItemMetadata(
            kind="episode", title=found.title, overview=found.overview,
            release_date=found.air_date, runtime_minutes=found.runtime_minutes, ids=found.ids,
        )  # fmt: skip
        values = episode_values(meta) | {"metadata_status": "matched", "metadata_reason": reason}
        await shared.save_fetched(session, Episode, row.id, values)
        saved.reindex.append(("episode", row.id))
        if found.still_url:
            target = {"item_id": f"episode:{row.id}", "item_kind": "episode", "kind": "still"}
            saved.artwork.append({"url": found.still_url, "target": target})


class EpisodeWriter(RowWriter):
    kind, model = "episode", Episode

    async def facts(self, session: AsyncSession, ref: str, item_id: uuid.UUID) -> ItemFacts | None:
        row = await self.row(session, item_id)
        parent = await shared.get_row(session, Series, row.series_id) if row else None
        if row is None or parent is None:
            return None
        options, language = await shared.library_options(session, row.library_id)
        order = season_type(options)
        absolute = order == "absolute" and row.absolute_number is not None
        path = await shared.main_file_path(session, "episode", row.id)
        return ItemFacts(
            item_id=ref,
            kind="episode",
            title=row.title,
            year=row.air_date.year if row.air_date else None,
            path=Path(path) if path else None,
            ids=ExternalIds(tmdb=row.tmdb_id, imdb=row.imdb_id, tvdb=row.tvdb_id),
            parent_ids=series_ids(parent),
            season=row.season_number,
            episode=row.absolute_number if absolute else row.number,
            season_type=order,
            language=language,
            current=ItemMetadata(kind="episode", title=row.title, overview=row.overview),
        )

    def values(self, meta: ItemMetadata, row: Episode) -> dict[str, Any]:
        return episode_values(meta)
