"""The metadata jobs, declared once with their payloads (handlers in `metadata.jobs`)."""

from __future__ import annotations

import uuid

from revenge.infra.jobs.types import JobPayload, JobType, NoPayload

# Parents first within a batch: an identified series lets its episodes match by id.
_KIND_ORDER = {"series": 0, "album": 0, "artist": 0}
# Kinds fetched before the rest of a batch, so their children can match by the parent's id.
PARENT_KINDS = frozenset(_KIND_ORDER)


class ItemRef(JobPayload):
    kind: str
    id: str


class FetchMetadata(JobPayload):
    """One item or a batch: scans send `items`, retries and refreshes `item_ids` (writer
    ids, `<kind>:<uuid>`), one item may come as `item_id`; `round` counts retries."""

    library_id: uuid.UUID | None = None
    items: list[ItemRef] | None = None
    item_ids: list[str] | None = None
    item_id: str | None = None
    round: int | None = None

    def writer_ids(self) -> list[str]:
        """The writer ids to fetch, parents first."""
        if self.items:
            ids = [f"{i.kind}:{i.id}" for i in self.items]
        elif self.item_ids:
            ids = list(self.item_ids)
        else:
            ids = [self.item_id] if self.item_id else []
        return sorted(ids, key=lambda ref: _KIND_ORDER.get(ref.partition(":")[0], 1))


# No deadline for the job: each item has its own (`jobs.ITEM_TIMEOUT_SECONDS`).
fetch_metadata = JobType("metadata.fetch", "metadata", FetchMetadata, max_attempts=5)
refresh_metadata = JobType("metadata.refresh", "metadata", NoPayload, concurrency_limit=1)
