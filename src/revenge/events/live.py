"""Live updates on every node: committed events are published once (Redis pub/sub when
configured, PostgreSQL NOTIFY otherwise) and every node's hub hands them to its streams.

Each node keeps the last `events.replay_buffer` events it received, in arrival order, so a
client reconnecting with `Last-Event-ID` gets what it missed. A stream whose client reads too
slowly (its queue fills up) is closed rather than slowing the others; the client reconnects
and replays.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.db.hooks import after_commit_task
from revenge.server_settings.bus import ChangeListener

log = logging.getLogger(__name__)

LIVE_CHANNEL = "revenge_live"
# PostgreSQL refuses NOTIFY payloads of 8000 bytes or more: bigger events travel without data.
_NOTIFY_MAX = 7500
# Events one stream may have waiting before it is closed as too slow.
QUEUE_SIZE = 1000


@dataclass(frozen=True)
class LiveEvent:
    id: int
    type: str
    body: dict[str, Any]
    library_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    admin_only: bool = False

    @cached_property
    def sse(self) -> bytes:
        """The Server-Sent Events message, built once however many streams send it."""
        data = json.dumps({**self.body, "seq": self.id}, separators=(",", ":"))
        return f"id: {self.id}\nevent: {self.type}\ndata: {data}\n\n".encode()

    def encode(self, limit: int | None = None) -> str:
        raw = {
            "id": self.id, "type": self.type, "body": self.body, "admin_only": self.admin_only,
            "library_id": str(self.library_id) if self.library_id else None,
            "user_id": str(self.user_id) if self.user_id else None,
        }  # fmt: skip
        out = json.dumps(raw, separators=(",", ":"))
        if limit is not None and len(out.encode()) > limit:
            raw["body"] = {**self.body, "data": {"truncated": True}}
            out = json.dumps(raw, separators=(",", ":"))
        return out

    @classmethod
    def decode(cls, text_: str) -> LiveEvent:
        raw = json.loads(text_)
        lib, user = raw.get("library_id"), raw.get("user_id")
        return cls(
            int(raw["id"]), str(raw["type"]), dict(raw["body"]),
            uuid.UUID(lib) if lib else None, uuid.UUID(user) if user else None,
            bool(raw.get("admin_only")),
        )  # fmt: skip


@dataclass(eq=False)
class Viewer:
    """One open stream: who reads it and which libraries they may see (None: all)."""

    user_id: uuid.UUID
    is_admin: bool
    libraries: set[uuid.UUID] | None
    queue: asyncio.Queue[LiveEvent | None] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_SIZE)
    )

    def may_see(self, event: LiveEvent) -> bool:
        if event.user_id is not None:
            return event.user_id == self.user_id
        if event.admin_only:
            return self.is_admin
        if event.library_id is not None and self.libraries is not None:
            return event.library_id in self.libraries
        return True


class LiveHub:
    """This node's open streams and its replay buffer."""

    def __init__(self, buffer_size: int) -> None:
        self._buffer: deque[LiveEvent] = deque(maxlen=buffer_size)
        self._viewers: set[Viewer] = set()

    @property
    def viewers(self) -> int:
        return len(self._viewers)

    def add(self, viewer: Viewer, last_event_id: int | None) -> None:
        """Start a stream; with `last_event_id`, queue what it missed first."""
        if last_event_id is not None:
            for event in self._missed(last_event_id):
                if viewer.may_see(event):
                    viewer.queue.put_nowait(event)
        self._viewers.add(viewer)

    def remove(self, viewer: Viewer) -> None:
        self._viewers.discard(viewer)

    def _missed(self, last_id: int) -> list[LiveEvent]:
        events = list(self._buffer)
        # Arrival order, not id order: ids come from concurrent transactions.
        for index, event in enumerate(events):
            if event.id == last_id:
                return events[index + 1 :][-QUEUE_SIZE:]
        return [e for e in events if e.id > last_id][-QUEUE_SIZE:]

    def dispatch(self, event: LiveEvent) -> None:
        self._buffer.append(event)
        for viewer in list(self._viewers):
            if not viewer.may_see(event):
                continue
            try:
                viewer.queue.put_nowait(event)
            except asyncio.QueueFull:
                self._viewers.discard(viewer)
                _close(viewer)


def _close(viewer: Viewer) -> None:
    """End a stream that fell behind: drop its backlog and queue the end marker."""
    while not viewer.queue.empty():
        viewer.queue.get_nowait()
    viewer.queue.put_nowait(None)


class LiveBus:
    """Publishes committed events to every node and feeds this node's hub."""

    def __init__(
        self, database_url: str, redis_url: str | None, hub: LiveHub, redis_prefix: str = ""
    ) -> None:
        self.hub = hub
        self._redis = redis_url is not None
        # Redis channels are server-wide: the key prefix keeps installations apart.
        channel = f"{redis_prefix}{LIVE_CHANNEL}" if redis_url else LIVE_CHANNEL
        self._listener = ChangeListener(channel, database_url, redis_url, self._received)

    async def start(self) -> None:
        await self._listener.start()

    async def close(self) -> None:
        await self._listener.close()

    def _received(self, payload: str | None) -> None:
        if not payload:
            # (Re)connected, or a Redis keep-alive answer: clients replay with Last-Event-ID.
            return
        try:
            self.hub.dispatch(LiveEvent.decode(payload))
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring a malformed live event (%s): %.200r", exc, payload)

    async def publish(self, session: AsyncSession, events: Sequence[LiveEvent]) -> None:
        """Publish with the caller's transaction: NOTIFY rides it; Redis follows its commit."""
        if not events:
            return
        if self._redis:
            payloads = [e.encode() for e in events]

            async def send() -> None:
                for payload in payloads:
                    await self._listener.publish(payload)

            after_commit_task(session, send)
            return
        for event in events:
            payload = event.encode(_NOTIFY_MAX)
            await session.execute(
                text("SELECT pg_notify(:c, :p)"), {"c": LIVE_CHANNEL, "p": payload}
            )
