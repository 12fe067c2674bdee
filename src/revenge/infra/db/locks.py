"""Locks: PostgreSQL advisory locks held across transactions, and short row-lock
transactions."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from sqlalchemy import ColumnElement, func, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


@contextlib.asynccontextmanager
async def advisory_lock(
    engine: AsyncEngine, namespace: int, key: int
) -> AsyncIterator[AsyncConnection | None]:
    """Try to take the session-level advisory lock (namespace, key) on a connection of its
    own, without waiting: yields that connection while the lock is held (for the caller's
    own statements), or None when another session holds it. Released on leaving the block;
    a failed unlock means the connection is gone, and the lock went with it."""
    args = {"ns": namespace, "key": key}
    async with engine.connect() as conn:
        got = bool(
            (await conn.execute(text("SELECT pg_try_advisory_lock(:ns, :key)"), args)).scalar()
        )
        await conn.commit()
        if not got:
            yield None
            return
        try:
            yield conn
        finally:
            with contextlib.suppress(Exception):
                await conn.execute(text("SELECT pg_advisory_unlock(:ns, :key)"), args)
                await conn.commit()


def no_wait_for_disk() -> ColumnElement[str]:
    """A select-list column turning off the WAL flush at commit for this transaction.

    A transaction that only share-locks rows still writes a WAL record, and with the default
    synchronous_commit its COMMIT waits for an fsync. Nothing in it needs to survive a crash
    (a lock ends with its transaction anyway), so waiting for the disk is pure latency. As a
    column it costs no extra round trip; with no row matched no lock is taken and no WAL written.
    """
    return func.set_config("synchronous_commit", "off", True)
