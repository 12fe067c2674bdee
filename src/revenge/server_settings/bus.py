"""Change announcements between nodes: PostgreSQL LISTEN/NOTIFY, or Redis pub/sub.

Writers always NOTIFY inside their transaction (so a change is announced exactly when it
commits) and, with Redis configured, also publish after commit. Each node listens on Redis
when configured, else on PostgreSQL. Listeners reconnect forever; every (re)connect reports a
`None` change, meaning "anything may have changed while we were away".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import psycopg
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from revenge.infra.aio import stop_task
from revenge.infra.db.engine import connection_name

log = logging.getLogger(__name__)

OnChange = Callable[[str | None], None]
_RETRY_SECONDS = 1.0
_PUBLISH_SECONDS = 1.0


class ChangeListener:
    """Runs a background listener calling `on_change(key or None)` for every announcement."""

    def __init__(
        self, channel: str, database_url: str, redis_url: str | None, on_change: OnChange
    ) -> None:
        self.channel = channel
        self._db_url = database_url
        self._redis_url = redis_url
        self._on_change = on_change
        self._task: asyncio.Task[None] | None = None
        self._redis: aioredis.Redis | None = (
            aioredis.from_url(redis_url, socket_connect_timeout=1.0) if redis_url else None
        )
        self.ready = asyncio.Event()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"listen-{self.channel}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.ready.wait(), timeout=3.0)

    async def close(self) -> None:
        if self._task is not None:
            # Cancelled again while it runs on: a Redis pub/sub cancelled mid-read can swallow
            # the cancellation, or wait forever to unsubscribe.
            await stop_task(self._task)
            self._task = None
        if self._redis is not None:
            await self._redis.aclose()

    async def publish(self, key: str) -> None:
        """Announce over Redis (PostgreSQL announcements travel with the transaction)."""
        if self._redis is None:
            return
        try:
            # Bounded: the request that made the change waits for this announcement.
            await asyncio.wait_for(self._redis.publish(self.channel, key), _PUBLISH_SECONDS)
        except (RedisError, OSError, TimeoutError) as exc:
            log.warning("could not announce %s change over redis: %r", self.channel, exc)

    async def _run(self) -> None:
        while True:
            try:
                if self._redis is not None:
                    await self._listen_redis(self._redis)
                else:
                    await self._listen_postgres()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("%s listener lost its connection: %s", self.channel, exc)
            await asyncio.sleep(_RETRY_SECONDS)

    def _connected(self) -> None:
        self._on_change(None)
        self.ready.set()

    async def _listen_postgres(self) -> None:
        async with await psycopg.AsyncConnection.connect(
            self._db_url, autocommit=True, application_name=connection_name()
        ) as conn:
            await conn.execute(f'LISTEN "{self.channel}"')
            self._connected()
            async for note in conn.notifies():
                self._on_change(note.payload or None)

    async def _listen_redis(self, client: aioredis.Redis) -> None:
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(self.channel)
            self._connected()
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if message is None:
                    await pubsub.ping()
                    continue
                data = message["data"]
                self._on_change(data.decode() if isinstance(data, bytes) else str(data))
        finally:
            with contextlib.suppress(RedisError, OSError):
                # Typed from redis-py 8.2 on, untyped before: through Any, both check.
                untyped: Any = pubsub
                await untyped.aclose()
