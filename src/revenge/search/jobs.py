"""Search jobs.

`search.index` updates the index incrementally. The scanner (and metadata) enqueue it with
`{"library_id": str, "items": [{"kind": "movie" | "episode" | ..., "id": str}, ...]}`;
`{"rebuild": true}` rebuilds the whole index instead. Re-running a batch is harmless.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from revenge.catalog.totals import CatalogTotals
from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.registry import JobRegistry
from revenge.search.service import search_index

log = logging.getLogger(__name__)


async def index(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Index the listed items (removing those that are gone), or rebuild everything."""
    search = search_index(ctx.runtime)
    async with ctx.runtime.db.transaction() as session:
        # Follows every catalogue and metadata change, so genre/year totals follow too.
        CatalogTotals(ctx.runtime.cache).changed(session)
        if payload.get("rebuild"):
            written = await search.rebuild(session)
        else:
            items = [(i["kind"], uuid.UUID(str(i["id"]))) for i in payload.get("items", [])]
            written = await search.index(session, items)
    log.info("search.index: %d documents written", written)


def register(registry: JobRegistry) -> None:
    registry.task("search.index", queue="search")(index)
