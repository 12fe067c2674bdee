"""The search job, declared once with its payload (handler in `search.jobs`).

Declared with the catalogue, whose writers (scans, metadata, feeds) queue it after every
change: `search` sits above the catalogue, so it binds the handler to this handle.
"""

from __future__ import annotations

import uuid

from revenge.infra.jobs.types import JobPayload, JobType


class IndexedItem(JobPayload):
    kind: str
    id: uuid.UUID


class IndexItems(JobPayload):
    """Rebuild the documents of `items` (removing those that are gone), or with `rebuild`
    the whole index. Re-running a batch is harmless."""

    library_id: uuid.UUID | None = None
    items: list[IndexedItem] = []
    rebuild: bool | None = None


index_items = JobType("search.index", "search", IndexItems)
