"""The maintenance job, declared once (handler in `maintenance.jobs`)."""

from __future__ import annotations

from revenge.infra.jobs.types import JobType, NoPayload

cleanup = JobType("maintenance.cleanup", "maintenance", NoPayload, concurrency_limit=1)
