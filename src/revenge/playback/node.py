"""This node's playback machinery: the segment producer and the idle-session reaper.

Sessions live in PostgreSQL; every node reaps idle ones there (an idempotent UPDATE) and
deletes the segments it made (its files, and those it stored for other nodes) for any session
that has ended, whoever ended it.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import TYPE_CHECKING

from revenge.infra.aio import stop_task
from revenge.infra.storage import open_storage
from revenge.playback import repository as repo
from revenge.playback.producer import SegmentProducer
from revenge.playback.segment_store import SegmentStore

if TYPE_CHECKING:
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)


class PlaybackNode:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        settings = runtime.settings
        storage = open_storage(settings.storage, settings.data_dir)
        store = SegmentStore(storage, settings.data_dir)
        self.producer = SegmentProducer(store, settings.playback, settings.playback.workers)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._reap_forever())

    async def stop(self) -> None:
        if self._task is not None:
            await stop_task(self._task)
            self._task = None
        self.producer.close()

    async def reap(self) -> list[uuid.UUID]:
        """End idle sessions everywhere, and remove this node's files of ended ones."""
        idle = self.runtime.settings.playback.idle_seconds
        async with self.runtime.db.transaction() as session:
            ended = await repo.end_idle(session, idle)
            for session_id, speed in self.producer.speeds().items():
                await repo.touch_speed(session, session_id, speed)
            on_disk = self.producer.sessions_on_disk()
            gone = await repo.ended_among(session, on_disk) if on_disk else set()
        self.producer.sweep()
        for session_id in gone:
            await self.producer.remove(session_id)
        return ended

    async def _reap_forever(self) -> None:
        while True:
            await asyncio.sleep(self.runtime.settings.playback.reap_interval_seconds)
            try:
                await self.reap()
            except Exception:  # the next round tries again; a failure must not stop reaping
                log.exception("reaping playback sessions failed")


def playback_node(runtime: Runtime) -> PlaybackNode:
    """The node's playback machinery (made on first use, started by the app's lifespan)."""
    node = runtime.playback_node
    if node is None:
        node = runtime.playback_node = PlaybackNode(runtime)
    return node
