"""Search jobs.

`search.index` (`catalog.index_tasks.index_items`) updates the index incrementally: the scanner
(and metadata) enqueue it with the changed items; `rebuild` rebuilds the whole index instead.
"""

from __future__ import annotations

import logging

from revenge.catalog.index_tasks import IndexItems, index_items
from revenge.catalog.totals import CatalogTotals
from revenge.infra.jobs.context import JobContext
from revenge.search.service import search_index

log = logging.getLogger(__name__)


@index_items.handler
async def index(ctx: JobContext, payload: IndexItems) -> None:
    """Index the listed items (removing those that are gone), or rebuild everything."""
    search = search_index(ctx.runtime)
    async with ctx.runtime.db.transaction() as session:
        # Follows every catalogue and metadata change, so genre/year totals follow too.
        CatalogTotals(ctx.runtime.cache).changed(session)
        if payload.rebuild:
            written = await search.rebuild(session)
        else:
            items = [(i.kind, i.id) for i in payload.items]
            written = await search.index(session, items)
    log.info("search.index: %d documents written", written)
