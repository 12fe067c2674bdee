"""The TV module as the scanner sees it."""

from __future__ import annotations

import uuid
from typing import Any

from psycopg import AsyncConnection

from revenge.catalog.text import sort_title
from revenge.catalog.tv import repository as repo
from revenge.catalog.tv.placement import EpisodePlan, plan_episode
from revenge.catalog.types import BaseCataloguer, FileToPlace, Placed, Placement


def _series_rows(plans: list[EpisodePlan]) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for plan in plans:
        s = plan.series
        rows.setdefault(
            s.key,
            {
                "title": s.title,
                "sort_title": sort_title(s.title),
                "year": s.year,
                "tvdb_id": s.ids.get("tvdb"),
                "tmdb_id": s.ids.get("tmdb"),
                "imdb_id": s.ids.get("imdb"),
            },
        )
    return rows


class TvCataloguer(BaseCataloguer, media="video", orphans=repo.delete_orphans):
    async def place(
        self, conn: AsyncConnection[Any], library_id: uuid.UUID, files: list[FileToPlace]
    ) -> Placed:
        plans = {f.file_id: plan_episode(f.parts) for f in files}
        wanted = [p for p in plans.values() if p is not None]
        series_ids, new_series = await repo.upsert_series(conn, library_id, _series_rows(wanted))
        episodes = [p for p in wanted if p.extra_type is None]
        season_rows = {
            f"{p.series.key}|{p.season}": {
                "series_id": series_ids[p.series.key],
                "number": p.season,
            }
            for p in episodes
        }
        season_ids, _ = await repo.upsert_seasons(conn, library_id, season_rows)
        episode_rows = {
            p.key: {
                "series_id": series_ids[p.series.key],
                "season_id": season_ids[f"{p.series.key}|{p.season}"],
                "season_number": p.season,
                "number": p.number,
                "ending_number": p.ending_number,
                "absolute_number": p.absolute_number,
                "air_date": p.air_date,
                "title": p.title,
            }
            for p in episodes
        }
        episode_ids, new_episodes = await repo.upsert_episodes(conn, library_id, episode_rows)
        placed = Placed()
        for file_id, plan in plans.items():
            placed.placements[file_id] = _placement(plan, series_ids, episode_ids)
        placed.new_items = [("series", i) for i in new_series] + [
            ("episode", i) for i in new_episodes
        ]
        # Series are listed too: metadata and search describe them on their own.
        placed.touched_items = [("episode", i) for i in set(episode_ids.values())] + [
            ("series", i) for i in set(series_ids.values())
        ]
        return placed


def _placement(
    plan: EpisodePlan | None,
    series_ids: dict[str, uuid.UUID],
    episode_ids: dict[str, uuid.UUID],
) -> Placement:
    if plan is None:
        return Placement(None, None, extra_type="Sample")
    if plan.extra_type is not None:
        return Placement("series", series_ids[plan.series.key], plan.extra_type)
    return Placement("episode", episode_ids[plan.key])
