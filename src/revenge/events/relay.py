"""The outbox relay: committed events become `notifications.deliver` jobs and live updates.

Every `revenge serve` and `revenge worker` process runs one. Relays wake on the outbox's
NOTIFY (and poll as a fallback), take rows with `FOR UPDATE SKIP LOCKED` so each event is
relayed once, and enqueue its delivery jobs and publish its live update in the transaction
that deletes it: a relay that dies half-way leaves the rows for the next one.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from revenge.events import repository as repo
from revenge.events.live import LiveBus, LiveEvent
from revenge.events.models import OutboxEvent
from revenge.infra.aio import stop_task, wait_event
from revenge.notifications.events import NotificationEvent
from revenge.server_settings.bus import ChangeListener

if TYPE_CHECKING:
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)

_BATCH = 200


def live_event(row: OutboxEvent) -> LiveEvent:
    return LiveEvent(row.id, row.type, row.body, row.library_id, row.user_id, row.admin_only)


class Relay:
    def __init__(self, runtime: Runtime, bus: LiveBus) -> None:
        self._rt = runtime
        self._bus = bus
        self._wake = asyncio.Event()
        self._listener = ChangeListener(
            repo.OUTBOX_CHANNEL, runtime.db.url, None, lambda _key: self._wake.set()
        )
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        await self._listener.start()
        self._task = asyncio.create_task(self._run(), name="events-relay")

    async def close(self) -> None:
        if self._task is not None:
            await stop_task(self._task)
            self._task = None
        await self._listener.close()

    async def _run(self) -> None:
        poll = self._rt.settings.events.relay_poll_seconds
        while True:
            await wait_event(self._wake, poll)
            self._wake.clear()
            try:
                while await self.relay_once() == _BATCH:
                    pass
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away: the rows wait for the next try
                log.warning("event relay could not run: %s", exc)

    async def relay_once(self) -> int:
        """Relay one batch of committed events; how many."""
        async with self._rt.db.transaction() as session:
            rows = await repo.take(session, _BATCH)
            for row in rows:
                if row.notify:
                    await self._rt.notifications.send(
                        session,
                        NotificationEvent.from_json(row.body),
                        library_id=row.library_id,
                        user_id=row.user_id,
                    )
            await self._bus.publish(session, [live_event(r) for r in rows])
        return len(rows)
