"""A job worker: pgqueuer on its own asyncpg connection, running the registered tasks.

Retries: a failing job is re-queued with exponential backoff (`jobs.retry_base_seconds`,
doubling) until its attempts are used up; then it is kept with status `failed` so an admin
can read its error and retry it. A worker killed mid-job stops heart-beating; after
`jobs.heartbeat_seconds` any worker picks the job up again.

Losing PostgreSQL does not end the worker: running jobs finish, pgqueuer's loop ends with the
connection, and the worker reconnects with exponential backoff. A job whose completion could
not be recorded stays `picked` and is retried by heartbeat recovery once the database is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import asyncpg
from pgqueuer import PgQueuer
from pgqueuer.db import AsyncpgDriver
from pgqueuer.errors import RetryRequested
from pgqueuer.executors import DatabaseRetryEntrypointExecutor, EntrypointExecutorParameters
from pgqueuer.models import Context, Job

from revenge.infra.aio import wait_event
from revenge.infra.db.engine import connection_name
from revenge.infra.jobs.context import ExpectedJobFailure, JobContext
from revenge.infra.jobs.registry import QUEUES, TaskSpec

if TYPE_CHECKING:
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)

_CONNECT_TIMEOUT = 5.0
_BACKOFF_MIN = 0.5
_BACKOFF_MAX = 15.0
# A connection that served this long was healthy: the next failure starts backoff afresh.
_HEALTHY_RUN_SECONDS = 30.0
# pgqueuer writes finished jobs' statuses from a buffer flushed about every 0.1 s; a finish
# is remembered this long so a forced stop can write it itself (writing twice is harmless).
_FINISHED_MEMORY_SECONDS = 10.0


class _DroppedOnPurpose(logging.Filter):
    """Hides pgqueuer's complaint about the records a forced stop drops deliberately."""

    def __init__(self) -> None:
        super().__init__()
        self.active = False

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self.active and record.getMessage().startswith("Shutdown flush failed"))


class ExpectedFailureLog(logging.Filter):
    """pgqueuer logs every failed job with a traceback at error level; a failure the job
    foresaw and recorded (`ExpectedJobFailure`) becomes one warning line with its reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, ExpectedJobFailure):
            job = record.getMessage().rpartition(": ")[2]
            record.msg, record.args = "%s failed: %s", (job, exc)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


_EXPECTED_FAILURE_LOG = ExpectedFailureLog()
logging.getLogger("pgqueuer").addFilter(_EXPECTED_FAILURE_LOG)


async def _announce_failure(runtime: Runtime, ctx: JobContext, exc: Exception) -> None:
    """A `job.failed` event for a job that used up its attempts (best effort)."""
    error = str(exc) or type(exc).__name__
    try:
        async with runtime.db.transaction() as session:
            await runtime.events.job_failed(
                session, task=ctx.task, job_id=ctx.job_id, attempts=ctx.attempt, error=error
            )
    except Exception as report_exc:  # the database is away: the job's own record remains
        log.warning("could not announce the failure of job %s: %s", ctx.job_id, report_exc)


class RateLimiter:
    """A per-process token bucket: at most `rate` starts per second."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate
        self._next = time.monotonic()
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self._interval
        if delay > 0:
            await asyncio.sleep(delay)


class Worker:
    """Runs the tasks of the chosen queues until stopped, reconnecting if PostgreSQL goes away."""

    def __init__(self, runtime: Runtime, queues: tuple[str, ...] = QUEUES) -> None:
        unknown = set(queues) - set(QUEUES)
        if unknown:
            raise ValueError(f"unknown queue(s): {', '.join(sorted(unknown))}")
        self.runtime = runtime
        self.queues = queues
        self._pgq: PgQueuer | None = None
        self._conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.started = asyncio.Event()
        self.reconnects = 0
        self._finished: dict[int, tuple[float, Job]] = {}
        self._quiet = _DroppedOnPurpose()

    async def start(self) -> None:
        """Connect and start processing in the background (a failed first connect raises)."""
        self._stopping.clear()
        await self._connect()
        self._task = asyncio.create_task(self._supervise(), name="job-worker")
        self.started.set()

    async def stop(self, grace_seconds: float | None = None) -> None:
        """Stop taking jobs; let running ones finish within the grace period."""
        if self._task is None:
            return
        grace = self.runtime.settings.jobs.grace_seconds if grace_seconds is None else grace_seconds
        self._stopping.set()
        if self._pgq is not None:
            self._pgq.shutdown.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=grace)
        except TimeoutError:
            # Unfinished jobs must stay `picked` so heartbeat recovery hands them to another
            # worker. Cancelled with the connection still open, pgqueuer would record them as
            # `canceled` and drop them from the queue: cut the connection first, so neither
            # that record nor another heartbeat can be written.
            log.warning("jobs still running after %.0fs grace period; stopping them", grace)
            await self._record_finished()
            self._quiet.active = True
            logging.getLogger("pgqueuer").addFilter(self._quiet)
            try:
                if self._conn is not None:
                    self._conn.terminate()
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._task
            finally:
                logging.getLogger("pgqueuer").removeFilter(self._quiet)
                self._quiet.active = False
            log.info("unfinished jobs stay picked; another worker runs them after the heartbeat")
        except Exception:
            log.exception("job worker ended with an error")
        await self._disconnect()
        self._task = None

    def _note_finished(self, job: Job) -> None:
        now = time.monotonic()
        self._finished[int(job.id)] = (now, job)
        for job_id, (at, _) in list(self._finished.items()):
            if now - at > _FINISHED_MEMORY_SECONDS:
                del self._finished[job_id]

    async def _record_finished(self) -> None:
        """Write the recent completions pgqueuer may still hold in its buffer, before the
        connection is cut: otherwise those jobs stay `picked` and run again elsewhere."""
        done = [job for _, job in self._finished.values()]
        if self._pgq is None or not done:
            return
        records: list[tuple[Job, Any, Any]] = [(job, "successful", None) for job in done]
        try:
            await asyncio.wait_for(self._pgq.qm.queries.log_jobs(records), _CONNECT_TIMEOUT)
        except Exception as exc:
            log.warning("could not record %d finished job(s) before stopping: %s", len(done), exc)

    async def wait(self) -> None:
        """Return when the worker has been stopped."""
        if self._task is not None:
            await self._task

    async def _connect(self) -> None:
        conn = await asyncpg.connect(
            self.runtime.db.url,
            timeout=_CONNECT_TIMEOUT,
            server_settings={"application_name": connection_name()},
        )
        pgq = PgQueuer(AsyncpgDriver(conn))
        for spec in self.runtime.registry.tasks.values():
            if spec.queue in self.queues:
                self._register(pgq, spec)
        self._register_schedules(pgq)
        self._conn, self._pgq = conn, pgq

    async def _disconnect(self) -> None:
        conn, self._conn, self._pgq = self._conn, None, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), timeout=_CONNECT_TIMEOUT)

    async def _supervise(self) -> None:
        """Run pgqueuer; when its connection dies, reconnect with backoff until stopped."""
        delay = _BACKOFF_MIN
        while not self._stopping.is_set():
            ran_since = time.monotonic()
            try:
                if self._pgq is None:
                    await self._connect()
                    self.reconnects += 1
                    log.info("job worker reconnected to the database")
                await self._run_once()
            except Exception as exc:  # the worker must outlive any database failure
                log.warning("job worker lost the database (%s); retrying in %.1fs", exc, delay)
            await self._disconnect()
            if time.monotonic() - ran_since > _HEALTHY_RUN_SECONDS:
                delay = _BACKOFF_MIN
            await wait_event(self._stopping, delay)
            delay = min(delay * 2, _BACKOFF_MAX)

    async def _run_once(self) -> None:
        assert self._pgq is not None
        if self._stopping.is_set():
            return
        cfg = self.runtime.settings.jobs
        await self._pgq.run(
            batch_size=cfg.batch_size,
            dequeue_timeout=timedelta(seconds=cfg.poll_seconds),
            heartbeat_timeout=timedelta(seconds=cfg.heartbeat_seconds),
        )

    def _register(self, pgq: PgQueuer, spec: TaskSpec) -> None:
        cfg = self.runtime.settings.jobs
        limits = spec.limits
        attempts = limits.max_attempts or cfg.max_attempts
        limiter = RateLimiter(limits.rate_per_second) if limits.rate_per_second else None
        runtime, worker = self.runtime, self

        def executor(params: EntrypointExecutorParameters) -> DatabaseRetryEntrypointExecutor:
            return DatabaseRetryEntrypointExecutor(
                parameters=params,
                # pgqueuer counts retries, not runs: N runs means N - 1 retries.
                max_attempts=attempts - 1,
                initial_delay=timedelta(seconds=cfg.retry_base_seconds),
                max_delay=timedelta(minutes=30),
            )

        @pgq.entrypoint(
            spec.name,
            concurrency_limit=limits.concurrency_limit,
            on_failure="hold",
            executor_factory=executor,
            accepts_context=True,
        )
        async def run(job: Job, context: Context) -> None:
            if limiter is not None:
                await limiter.wait()
            payload: dict[str, Any] = json.loads(job.payload) if job.payload else {}
            ctx = JobContext(runtime, int(job.id), spec.name, int(job.attempts) + 1)
            started = time.perf_counter()
            failed = False
            try:
                await asyncio.wait_for(spec.func(ctx, payload), timeout=limits.timeout_seconds)
            except Exception as exc:
                failed = True
                if ctx.attempt >= attempts and not isinstance(
                    exc, RetryRequested | ExpectedJobFailure
                ):
                    await _announce_failure(runtime, ctx, exc)
                raise
            else:
                worker._note_finished(job)
            finally:
                elapsed = time.perf_counter() - started
                runtime.metrics.observe_job(spec.name, elapsed, failed=failed)

    def _register_schedules(self, pgq: PgQueuer) -> None:
        runtime = self.runtime
        for spec in runtime.registry.schedules.values():
            if runtime.registry.queue_of(spec.task) not in self.queues:
                continue
            task = spec.task

            @pgq.schedule(spec.name, spec.cron)
            async def fire(_schedule: Any, task: str = task) -> None:
                async with runtime.db.transaction() as session:
                    await runtime.jobs.enqueue(session, task, {}, dedupe_key=f"schedule:{task}")
