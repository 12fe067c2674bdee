"""Typed jobs: a job type is declared once, with its payload model, and enqueued through it.

A feature declares `scan_library = JobType("libraries.scan", "scan", ScanLibrary)` in its
`jobs.py` and everyone else calls `scan_library.enqueue(session, ScanLibrary(...))`. The
payload is stored as the JSON of the fields given (None ones omitted), the same shape the
job always had, so jobs queued by an earlier version still parse: models ignore unknown keys.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from pgqueuer import Queries
from pgqueuer.ports.driver import Driver
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.db import raw
from revenge.infra.jobs.connection import TransactionDriver

if TYPE_CHECKING:
    from revenge.infra.jobs.context import JobContext


class JobPayload(BaseModel):
    """Base of every payload model: unknown keys (from older or newer versions) are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class NoPayload(JobPayload):
    """The payload of jobs that take none (scheduled sweeps)."""


P = TypeVar("P", bound=JobPayload)


@dataclass(frozen=True)
class QueuedJob:
    """One job ready to be enqueued: its name, its payload's JSON and its dedupe key."""

    task: str
    payload: dict[str, Any]
    dedupe_key: str | None = None


@dataclass(frozen=True, kw_only=True)
class JobLimits:
    """How a job type runs: at most `concurrency_limit` at once per node (0: no limit), at most
    `rate_per_second` started per node, `max_attempts` runs (None: the `jobs` setting), each
    cancelled after `timeout_seconds`."""

    concurrency_limit: int = 0
    rate_per_second: float | None = None
    max_attempts: int | None = None
    timeout_seconds: float | None = None


@dataclass(frozen=True)
class JobType(JobLimits, Generic[P]):
    """A job type `<feature>.<verb>` on one queue, with its payload model and (by keyword)
    its limits."""

    name: str
    queue: str
    payload: type[P]

    def job(self, payload: P, dedupe_key: str | None = None) -> QueuedJob:
        """The job, for `enqueue_many` with others."""
        raw = payload.model_dump(mode="json", exclude_unset=True, exclude_none=True)
        return QueuedJob(self.name, raw, dedupe_key)

    async def enqueue(
        self,
        session: AsyncSession,
        payload: P,
        *,
        dedupe_key: str | None = None,
        delay: timedelta | None = None,
        priority: int = 0,
    ) -> int | None:
        """Add one job in the caller's transaction; None when its dedupe key is taken."""
        jobs = [self.job(payload, dedupe_key)]
        return (await enqueue_many(session, jobs, delay=delay, priority=priority))[0]

    def parse(self, raw: dict[str, Any]) -> P:
        """The payload; a malformed one fails the job with a short reason (its `job.failed`
        event and the admin job list show it)."""
        try:
            return self.payload.model_validate(raw)
        except ValidationError as exc:
            reasons = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'payload'}: {e['msg']}" for e in exc.errors()
            )
            raise ValueError(f"badly formed {self.name} payload: {reasons}") from None

    def handler(self, func: Callable[[JobContext, P], Awaitable[None]]) -> JobHandler[P]:
        """Decorator binding the function that runs this job (registered by its feature)."""
        return JobHandler(self, func)


@dataclass(frozen=True)
class JobHandler(Generic[P]):
    """A job type's handler. Called with the stored JSON (as the worker does) or a payload."""

    job: JobType[P]
    func: Callable[[JobContext, P], Awaitable[None]]

    async def __call__(self, ctx: JobContext, payload: P | dict[str, Any]) -> None:
        parsed = self.job.parse(payload) if isinstance(payload, dict) else payload
        await self.func(ctx, parsed)


async def enqueue_many(
    session: AsyncSession,
    jobs: Sequence[QueuedJob],
    *,
    delay: timedelta | None = None,
    priority: int = 0,
) -> list[int | None]:
    """Add many jobs in one statement, inside the caller's transaction (they exist only if it
    commits); a job whose dedupe key is already queued or running gets None."""
    if not jobs:
        return []
    queries = Queries(cast(Driver, TransactionDriver(await raw.driver(session))))
    ids = await queries.enqueue(
        [job.task for job in jobs],
        [json.dumps(job.payload).encode() for job in jobs],
        [priority] * len(jobs),
        [delay] * len(jobs),
        [job.dedupe_key for job in jobs],
        on_conflict="skip",
    )
    return [int(i) if i is not None else None for i in ids]
