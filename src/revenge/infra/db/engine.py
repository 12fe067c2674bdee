"""Engine, sessions and the transaction boundary owned by a request or a job."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from revenge.config import DatabaseSettings
from revenge.infra.db.hooks import wait_after_commit
from revenge.infra.db.liveness import ping_idle_connections, readers_pool


def sqlalchemy_url(url: str) -> str:
    """Turn any postgres URL into one for SQLAlchemy's psycopg 3 async driver."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql+psycopg", *parts[1:]))


def session_options(url: str) -> str:
    """The URL's own `options`, then the session's time zone set to UTC.

    psycopg converts each timestamptz it reads into the session's zone; for a named zone
    ("Etc/UTC", a common server default) that costs three times a fixed UTC offset (0.37
    against 0.12 us a value; a page of movies reads fifty). No SQL here depends on the
    session's zone: times are compared as instants and shown by the clients."""
    given = parse_qs(urlsplit(url).query).get("options", [])
    return " ".join([*given, "-c TimeZone=UTC"])


def libpq_url(url: str) -> str:
    """Turn any postgres URL into a plain libpq/asyncpg one."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", *parts[1:]))


def connection_name() -> str:
    """How this process names its PostgreSQL connections (`pg_stat_activity.application_name`),
    so an operator can tell which node holds a connection or a lock (63 bytes at most)."""
    return f"revenge[{os.getpid()}]@{socket.gethostname()}"[:63]


def _engine(url: str, cfg: DatabaseSettings, size: int, **options: Any) -> AsyncEngine:
    """A pool of `size` connections to `url` (psycopg 3, async), each named for this process,
    its session in UTC, idle ones pinged before use (`ping_idle_connections`)."""
    engine = create_async_engine(
        sqlalchemy_url(url),
        pool_size=size,
        max_overflow=cfg.max_overflow,
        pool_timeout=cfg.pool_timeout,
        # The connection handed back last is handed out next: under light load requests
        # keep using one warm connection (its prepared statements, which psycopg makes
        # after a statement's fifth run on that connection, and no idle-connection ping)
        # instead of taking turns on every connection in the pool.
        pool_use_lifo=True,
        connect_args={
            "application_name": connection_name(),
            "connect_timeout": cfg.connect_timeout,
            "options": session_options(url),
            # A silently vanished server (network cut) is noticed in ~10 s, not hours.
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 3,
        },
        **options,
    )
    # A restarted PostgreSQL leaves dead sockets in the pool: idle ones are pinged first.
    ping_idle_connections(engine)
    return engine


async def _close_if_used(session: AsyncSession) -> None:
    """Close a reading session unless the ORM never used it: one that ran no statement through
    the session and loaded no object holds nothing (the hottest reads run their SQL on the
    connection, `raw.driver`), and closing it would cost one more trip through SQLAlchemy's
    greenlet bridge (~60 us a request)."""
    sync = session.sync_session
    if sync.in_transaction() or sync.identity_map:
        await session.close()


class Database:
    """One engine per process; sessions are opened per request or per job."""

    def __init__(self, url: str, settings: DatabaseSettings | None = None) -> None:
        cfg = settings or DatabaseSettings()
        self.url = libpq_url(url)
        self.engine: AsyncEngine = _engine(url, cfg, cfg.pool_size)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # Reads have a pool of their own whose connections stay in autocommit. Switching a
        # pooled connection to autocommit and back, and rolling back on its return, cost a
        # reading request ~160 us of SQLAlchemy's greenlet bridge (a tenth of a page of
        # movies, bench/request_cost.py); here nothing is switched and there is nothing to
        # roll back (`readers_pool`).
        self.readers: AsyncEngine = _engine(
            url, cfg, cfg.read_pool_size, isolation_level="AUTOCOMMIT", pool_reset_on_return=None
        )
        readers_pool(self.readers)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose transaction commits on success and rolls back on error; work
        started on commit (`hooks.after_commit_task`) has finished when this returns."""
        async with self.sessions() as session:
            async with session.begin():
                yield session
            await wait_after_commit(session)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for work that only reads: each statement stands alone (autocommit),
        sparing the BEGIN and COMMIT round trips of a transaction, two of the four to six a
        typical catalogue read makes. Statements see no common snapshot, and nothing may be
        written through it (a write would commit on its own)."""
        # The connection is taken here, not at the first statement: taken mid-request, under
        # more requests than connections, a few requests waited twice as long (browse p99 at
        # saturation 1.3 s instead of 0.68 s in bench/catalog.py's load, throughput equal).
        async with self.readers.connect() as conn:
            session = AsyncSession(bind=conn, expire_on_commit=False)
            try:
                yield session
            finally:
                await _close_if_used(session)

    @asynccontextmanager
    async def reading_on_demand(self) -> AsyncIterator[AsyncSession]:
        """As `reading`, but a connection is taken at the session's first statement, if any:
        for work that is often answered without the database (remembered results)."""
        session = AsyncSession(bind=self.readers, expire_on_commit=False)
        try:
            yield session
        finally:
            await _close_if_used(session)

    async def ping(self) -> None:
        """Raise if the database cannot answer a trivial query."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
        await self.readers.dispose()
