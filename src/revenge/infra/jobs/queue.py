"""Enqueueing jobs inside the caller's transaction, so they exist only if it commits."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any, cast

from pgqueuer import Queries
from pgqueuer.ports.driver import Driver
from psycopg import AsyncConnection, AsyncRawCursor
from psycopg.rows import dict_row
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.jobs.registry import JobRegistry


class _TransactionDriver:
    """Just enough of pgqueuer's Driver to run its enqueue SQL on our open transaction."""

    def __init__(self, connection: AsyncConnection[Any]) -> None:
        self._connection = connection

    async def fetch(self, query: str, *args: object) -> list[dict[str, object]]:
        cursor = AsyncRawCursor(self._connection, row_factory=dict_row)
        await cursor.execute(query, args or None)
        return await cursor.fetchall()

    async def execute(self, query: str, *args: object) -> str:
        cursor = AsyncRawCursor(self._connection)
        await cursor.execute(query, args or None)
        return cursor.statusmessage or ""


async def _raw_connection(session: AsyncSession) -> AsyncConnection[Any]:
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    return cast(AsyncConnection[Any], raw.driver_connection)


class JobQueue:
    """Enqueue registered jobs; unknown names are a programming error."""

    def __init__(self, registry: JobRegistry) -> None:
        self.registry = registry

    async def enqueue(
        self,
        session: AsyncSession,
        task: str,
        payload: dict[str, Any] | None = None,
        *,
        dedupe_key: str | None = None,
        delay: timedelta | None = None,
        priority: int = 0,
    ) -> int | None:
        """Add one job; with a dedupe key already queued or running, return None."""
        ids = await self.enqueue_many(
            session, [(task, payload or {}, dedupe_key)], delay=delay, priority=priority
        )
        return ids[0]

    async def enqueue_many(
        self,
        session: AsyncSession,
        jobs: list[tuple[str, dict[str, Any], str | None]],
        *,
        delay: timedelta | None = None,
        priority: int = 0,
    ) -> list[int | None]:
        """Add many jobs in one statement: (task, payload, dedupe key) each."""
        if not jobs:
            return []
        for task, _, _ in jobs:
            if task not in self.registry.tasks:
                raise KeyError(f"unknown job {task!r}")
        queries = Queries(cast(Driver, _TransactionDriver(await _raw_connection(session))))
        ids = await queries.enqueue(
            [task for task, _, _ in jobs],
            [json.dumps(payload).encode() for _, payload, _ in jobs],
            [priority] * len(jobs),
            [delay] * len(jobs),
            [key for _, _, key in jobs],
            on_conflict="skip",
        )
        return [int(i) if i is not None else None for i in ids]
