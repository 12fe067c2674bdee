"""The movies module as the scanner sees it."""

from __future__ import annotations

import uuid
from typing import Any

from psycopg import AsyncConnection

from revenge.catalog.movies import repository as repo
from revenge.catalog.movies.placement import MoviePlan, plan_movie
from revenge.catalog.text import sort_title
from revenge.catalog.types import BaseCataloguer, FileToPlace, Placed, Placement


class MoviesCataloguer(BaseCataloguer, media="video", orphans=repo.delete_orphans):
    async def place(
        self, conn: AsyncConnection[Any], library_id: uuid.UUID, files: list[FileToPlace]
    ) -> Placed:
        plans: dict[uuid.UUID, MoviePlan | None] = {f.file_id: plan_movie(f.parts) for f in files}
        rows: dict[str, dict[str, Any]] = {}
        for plan in plans.values():
            if plan is not None and (plan.key not in rows or plan.extra_type is None):
                rows[plan.key] = {
                    "title": plan.title,
                    "sort_title": sort_title(plan.title),
                    "year": plan.year,
                    "is_3d": plan.is_3d,
                    "tmdb_id": plan.tmdb_id,
                    "imdb_id": plan.imdb_id,
                }
        ids, created = await repo.upsert_movies(conn, library_id, rows)
        placed = Placed()
        for file_id, plan in plans.items():
            if plan is None:
                placed.placements[file_id] = Placement(None, None, extra_type="Sample")
                continue
            movie_id = ids[plan.key]
            placed.placements[file_id] = Placement(
                "movie", movie_id, plan.extra_type, plan.part, plan.version
            )
        placed.touched_items = [("movie", i) for i in set(ids.values())]
        placed.new_items = [("movie", i) for i in created]
        return placed
