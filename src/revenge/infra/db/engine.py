"""Engine, sessions and the transaction boundary owned by a request or a job."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from revenge.config import DatabaseSettings

_AFTER_COMMIT = "revenge.after_commit"


def after_commit(session: AsyncSession, hook: Callable[[], Awaitable[None]]) -> None:
    """Run `hook` once the session's transaction has committed (never if it rolls back).

    For effects outside the database that must not be seen before the data is, such as
    dropping a cache entry other readers would otherwise refill from the old rows.
    Hooks must not raise: the transaction is already committed.
    """
    session.info.setdefault(_AFTER_COMMIT, []).append(hook)


def sqlalchemy_url(url: str) -> str:
    """Turn any postgres URL into one for SQLAlchemy's psycopg 3 async driver."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql+psycopg", *parts[1:]))


def libpq_url(url: str) -> str:
    """Turn any postgres URL into a plain libpq/asyncpg one."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", *parts[1:]))


class Database:
    """One engine per process; sessions are opened per request or per job."""

    def __init__(self, url: str, settings: DatabaseSettings | None = None) -> None:
        cfg = settings or DatabaseSettings()
        self.url = libpq_url(url)
        self.engine: AsyncEngine = create_async_engine(
            sqlalchemy_url(url),
            pool_size=cfg.pool_size,
            max_overflow=cfg.max_overflow,
            pool_timeout=cfg.pool_timeout,
            # A restarted PostgreSQL leaves dead sockets in the pool; pre-ping drops them.
            pool_pre_ping=True,
            connect_args={
                "connect_timeout": cfg.connect_timeout,
                # A silently vanished server (network cut) is noticed in ~10 s, not hours.
                "keepalives": 1,
                "keepalives_idle": 5,
                "keepalives_interval": 2,
                "keepalives_count": 3,
            },
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose transaction commits on success and rolls back on error."""
        async with self.sessions() as session:
            async with session.begin():
                yield session
            for hook in session.info.pop(_AFTER_COMMIT, ()):
                await hook()

    async def ping(self) -> None:
        """Raise if the database cannot answer a trivial query."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
