"""The delivery job, declared once with its payload (handler in `notifications.jobs`)."""

from __future__ import annotations

import uuid
from typing import Any

from revenge.infra.jobs.types import JobPayload, JobType


class DeliverNotification(JobPayload):
    """One event (its JSON) over one channel; `recipient` for a user's own email address."""

    event: dict[str, Any]
    channel_id: uuid.UUID
    recipient: str | None = None


# max_attempts=1: the job schedules its own retries (RetryRequested) and decides the end.
deliver_notification = JobType("notifications.deliver", "notifications", DeliverNotification,
                               concurrency_limit=20, max_attempts=1,
                               timeout_seconds=120)  # fmt: skip
