"""The process's search index, chosen here (one implementation today: PostgreSQL)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from revenge.catalog.totals import CatalogTotals
from revenge.search.index import PostgresSearchIndex, SearchIndex

if TYPE_CHECKING:  # the runtime imports the job catalogue, which imports this module
    from revenge.runtime import Runtime


def search_index(runtime: Runtime) -> SearchIndex:
    """The index of this process, made on first use and kept in the runtime."""
    index = runtime.search
    if index is None:
        generation = CatalogTotals(runtime.cache).generation
        index = runtime.search = PostgresSearchIndex(runtime.db, generation=generation)
        runtime.metrics.watch_cache("search_results", "Remembered search result", index)
    return index
