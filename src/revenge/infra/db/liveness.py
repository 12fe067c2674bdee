"""Check a pooled connection before use only when it has sat idle; hand a reading connection
back only when it is idle (`readers_pool`).

SQLAlchemy's `pool_pre_ping` sends a `SELECT 1` on every checkout: one more round trip to
PostgreSQL on every request, which on a busy server costs as much as the request's own query
(measured with bench/catalog.py: a search is BEGIN, the query and COMMIT). A connection handed
back moments ago by another request has just proved itself alive; a socket that died while
PostgreSQL restarted or the network dropped is one that sat idle through it. So only a
connection idle longer than `IDLE_SECONDS` is pinged; a dead one is replaced before the
request sees it (SQLAlchemy's documented custom pessimistic handling: `DisconnectionError`
from a checkout listener makes the pool discard it and take another).
"""

from __future__ import annotations

import time
from typing import Any

from psycopg.pq import TransactionStatus
from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection, PoolResetState

# Shorter than any PostgreSQL restart or failover: a connection that was used this recently
# was in use while the server answered.
IDLE_SECONDS = 1.0
_RETURNED = "revenge_returned_at"


def ping_idle_connections(engine: AsyncEngine, idle_seconds: float = IDLE_SECONDS) -> None:
    """Install the idle-only ping on `engine`'s pool (instead of `pool_pre_ping`)."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    @event.listens_for(pool, "checkin")
    def _returned(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_RETURNED] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _check(
        dbapi_connection: Any, record: ConnectionPoolEntry, _: PoolProxiedConnection
    ) -> None:
        returned = record.info.get(_RETURNED)
        if returned is None or time.monotonic() - returned < idle_seconds:
            return  # new, or used a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure means the connection is unusable
            raise exc.DisconnectionError(str(error)) from error


def readers_pool(engine: AsyncEngine) -> None:
    """Hand a reading connection back to `engine`'s pool (autocommit, no reset on return) only
    when it is idle: one whose statement was cut off (a cancelled request) or that holds a
    transaction someone opened is closed instead, never handed out again in that state."""

    @event.listens_for(engine.sync_engine.pool, "reset")
    def _returned(dbapi_connection: Any, record: ConnectionPoolEntry, _: PoolResetState) -> None:
        status = dbapi_connection.driver_connection.info.transaction_status
        if status != TransactionStatus.IDLE:
            record.invalidate()
