"""The podcasts module as the scanner sees it."""

from __future__ import annotations

import uuid
from typing import Any

from psycopg import AsyncConnection

from revenge.catalog.podcasts import repository as repo
from revenge.catalog.podcasts.placement import plan_podcast_episode
from revenge.catalog.text import sort_title
from revenge.catalog.types import BaseCataloguer, FileToPlace, Placed, Placement


class PodcastsCataloguer(BaseCataloguer, media="audio", orphans=repo.delete_orphans):
    async def place(
        self, conn: AsyncConnection[Any], library_id: uuid.UUID, files: list[FileToPlace]
    ) -> Placed:
        plans = {
            f.file_id: (
                plan_podcast_episode(f.parts, f.facts.tags if f.facts is not None else {}),
                f.facts.duration if f.facts is not None else None,
            )
            for f in files
        }
        podcast_rows: dict[str, dict[str, Any]] = {}
        for plan, _ in plans.values():
            podcast_rows.setdefault(
                plan.podcast_key,
                {
                    "title": plan.podcast_title,
                    "sort_title": sort_title(plan.podcast_title),
                    "author": plan.author,
                },
            )
        podcast_ids, _ = await repo.upsert_podcasts(conn, library_id, podcast_rows)
        episode_rows = {
            plan.key: {
                "podcast_id": podcast_ids[plan.podcast_key],
                "title": plan.title,
                "episode_number": plan.number,
                "published_on": plan.published,
                "duration_seconds": duration,
            }
            for plan, duration in plans.values()
        }
        episode_ids, created = await repo.upsert_episodes(conn, library_id, episode_rows)
        placed = Placed()
        for file_id, (plan, _) in plans.items():
            placed.placements[file_id] = Placement("podcast_episode", episode_ids[plan.key])
        placed.new_items = [("podcast_episode", i) for i in created]
        placed.touched_items = [("podcast_episode", i) for i in set(episode_ids.values())]
        return placed
