"""Search jobs.

`search.index` is a placeholder owned by the search feature (a later issue): the scanner
already enqueues it, in batches, for new and changed items, with the payload
`{"library_id": str, "items": [{"kind": "movie" | "episode" | ..., "id": str}, ...]}`.
Until the index exists the job only acknowledges the batch; replace its body, keep its name
and payload.
"""

from __future__ import annotations

import logging
from typing import Any

from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.registry import JobRegistry

log = logging.getLogger(__name__)


async def index(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Placeholder: index items for search (not built yet)."""
    log.debug("search.index: %d items waiting for the index", len(payload.get("items", [])))


def register(registry: JobRegistry) -> None:
    registry.task("search.index", queue="search")(index)
