"""The activity log: `log()` appends to memory; a background task writes batches with COPY.

A request never waits on the database for its audit entry. The writer flushes every
`activity.flush_interval_seconds` or as soon as a batch is full, and `stop()` flushes whatever
is left, so a clean shutdown loses nothing. While the database is unreachable entries stay
buffered (up to `activity.max_buffered`, then the oldest are dropped with a warning).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypedDict, Unpack

import psycopg
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.activity import repository as repo
from revenge.activity.models import ActivityEntry
from revenge.activity.repository import ActivityFilter as ActivityFilter
from revenge.config import ActivitySettings
from revenge.infra.aio import wait_event
from revenge.infra.db.engine import Database

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Entry:
    """One audit record."""

    module: str
    action: str
    user_id: uuid.UUID | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    ip_address: str | None = None
    user_agent: str | None = None
    success: bool = True
    error: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class EntryFields(TypedDict, total=False):
    """What an audit entry may say besides its module, action and user."""

    resource_type: str | None
    resource_id: str | None
    details: dict[str, Any] | None
    ip_address: str | None
    user_agent: str | None
    success: bool
    error: str | None


async def list_entries(
    session: AsyncSession, f: ActivityFilter, limit: int, before: tuple[datetime, int] | None
) -> list[ActivityEntry]:
    """A page of the log matching `f`, newest first, after the cursor `before`."""
    return await repo.query(session, f, limit, before)


class ActivityLog:
    """Buffered, batched writer of audit entries."""

    def __init__(self, db: Database, cfg: ActivitySettings | None = None) -> None:
        self._db = db
        self._cfg = cfg or ActivitySettings()
        self._buffer: deque[Entry] = deque()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._flush_lock = asyncio.Lock()
        self._stopping = False
        self.dropped = 0
        self.written = 0

    def log(
        self,
        module: str,
        action: str,
        *,
        user_id: uuid.UUID | None = None,
        **fields: Unpack[EntryFields],
    ) -> None:
        """Record an entry; returns at once."""
        resource_type, resource_id = fields.get("resource_type"), fields.get("resource_id")
        user_agent = fields.get("user_agent")
        self.add(
            Entry(
                module[:32],
                action[:32],
                user_id,
                resource_type[:64] if resource_type else None,
                resource_id[:128] if resource_id else None,
                fields.get("details") or {},
                _valid_ip(fields.get("ip_address")),
                user_agent[:512] if user_agent else None,
                fields.get("success", True),
                fields.get("error"),
            )
        )

    def add(self, entry: Entry) -> None:
        if len(self._buffer) >= self._cfg.max_buffered:
            self._buffer.popleft()
            self.dropped += 1
            if self.dropped in (1, 1000) or self.dropped % 100_000 == 0:
                log.warning("activity buffer full; %d entries dropped so far", self.dropped)
        self._buffer.append(entry)
        if len(self._buffer) >= self._cfg.batch_size:
            self._wake.set()

    @property
    def pending(self) -> int:
        return len(self._buffer)

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="activity-writer")

    async def stop(self) -> None:
        """Stop the background task and write everything still buffered."""
        if self._task is not None:
            # Let a flush in progress finish: cancelling a COPY midway could write it twice.
            self._stopping = True
            self._wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout=30)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None
            self._stopping = False
        try:
            await self.flush()
        except Exception:
            log.exception("activity entries lost at shutdown: %d", len(self._buffer))

    async def flush(self) -> int:
        """Write everything buffered now; the number of entries written."""
        total = 0
        async with self._flush_lock:
            while self._buffer:
                batch = [
                    self._buffer.popleft()
                    for _ in range(min(self._cfg.batch_size, len(self._buffer)))
                ]
                try:
                    await repo.copy_entries(self._db, batch)
                except (DBAPIError, psycopg.Error) as exc:
                    if _unreachable(exc):
                        self._buffer.extendleft(reversed(batch))
                        raise
                    await self._write_one_by_one(batch)
                except BaseException:
                    self._buffer.extendleft(reversed(batch))
                    raise
                total += len(batch)
        self.written += total
        return total

    async def _write_one_by_one(self, batch: list[Entry]) -> None:
        # One malformed entry must not block the rest of its batch forever.
        for entry in batch:
            try:
                await repo.copy_entries(self._db, [entry])
            except (DBAPIError, psycopg.Error) as exc:
                if _unreachable(exc):
                    raise
                self.dropped += 1
                log.error("activity entry dropped (%s): %s", exc, entry)

    async def _run(self) -> None:
        backoff = self._cfg.flush_interval_seconds
        while not self._stopping:
            await wait_event(self._wake, backoff)
            self._wake.clear()
            if self._stopping:
                return
            try:
                await self.flush()
                backoff = self._cfg.flush_interval_seconds
            except Exception as exc:
                log.warning("activity log write failed (will retry): %s", exc)
                backoff = min(backoff * 2, 10.0)


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _unreachable(exc: Exception) -> bool:
    """A connection problem (retry later) rather than bad data (drop the entry)."""
    if isinstance(exc, OperationalError | psycopg.OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)
