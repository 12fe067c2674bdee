"""The integration jobs, declared once with their payloads (handlers in `integrations.jobs`)."""

from __future__ import annotations

import uuid

from revenge.infra.jobs.types import JobPayload, JobType, NoPayload


class ScanRequested(JobPayload):
    """`window`: queued by a hook after its debounce window (else the minutely round)."""

    window: bool | None = None


class RefreshFeed(JobPayload):
    feed_id: uuid.UUID


class SyncFeed(JobPayload):
    feed_id: uuid.UUID
    round: int = 0


scan_requested = JobType("integrations.scan_requested", "integrations", ScanRequested,
                         concurrency_limit=1)  # fmt: skip
poll_feeds = JobType("podcasts.poll", "integrations", NoPayload, concurrency_limit=1)
refresh_feed = JobType("podcasts.refresh", "integrations", RefreshFeed, concurrency_limit=2,
                       max_attempts=2, timeout_seconds=6 * 3600)  # fmt: skip
sync_feed = JobType("podcasts.sync", "integrations", SyncFeed, max_attempts=3)
