"""Admin job API payloads."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

JobStatus = Literal["queued", "running", "failed", "completed", "errored", "cancelled"]


class JobSummary(BaseModel):
    id: int
    task: str
    queue: str | None
    status: str
    priority: int
    attempts: int | None = None
    updated: datetime | None = None


class JobAttempt(BaseModel):
    status: str
    at: datetime
    error: str | None = None


class JobDetail(JobSummary):
    args: dict[str, Any] | None = None
    created: datetime | None = None
    execute_after: datetime | None = None
    heartbeat: datetime | None = None
    dedupe_key: str | None = None
    error: str | None = None
    history: list[JobAttempt] = []


class JobPage(BaseModel):
    items: list[JobSummary]
    next_before: int | None


class PeriodicTask(BaseModel):
    name: str
    cron: str
    task: str
    last_run: datetime | None
    next_run: datetime | None


class Enqueued(BaseModel):
    job_id: int | None
    deduplicated: bool
