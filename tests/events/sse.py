"""A real Server-Sent Events client for tests: reads a stream over HTTP in the background."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Message:
    id: str | None
    event: str
    data: dict[str, Any]


@dataclass
class SseClient:
    """Connects to `GET /api/v1/events` and keeps every message (and when the stream ended)."""

    base_url: str
    headers: dict[str, str]
    messages: list[Message] = field(default_factory=list)
    status: int | None = None
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> SseClient:
        self._task = asyncio.create_task(self._read())
        await asyncio.wait_for(self.connected.wait(), 10)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def _read(self) -> None:
        timeout = httpx.Timeout(10.0, read=None)
        try:
            async with (
                httpx.AsyncClient(base_url=self.base_url, timeout=timeout) as client,
                client.stream("GET", "/api/v1/events", headers=self.headers) as response,
            ):
                self.status = response.status_code
                self.connected.set()
                await self._parse(response)
        finally:
            self.connected.set()
            self.ended.set()

    async def _parse(self, response: httpx.Response) -> None:
        fields: dict[str, str] = {}
        async for line in response.aiter_lines():
            if line == "":
                if "data" in fields:
                    self.messages.append(
                        Message(fields.get("id"), fields.get("event", "message"),
                                json.loads(fields["data"]))
                    )  # fmt: skip
                fields = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")

    def of(self, event_type: str) -> list[Message]:
        return [m for m in self.messages if m.event == event_type]

    async def wait(self, check: Callable[[SseClient], bool], seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while not check(self):
            if time.monotonic() > deadline:
                seen = [(m.event, m.data.get("title")) for m in self.messages]
                raise AssertionError(f"SSE condition not met in {seconds}s; got {seen}")
            await asyncio.sleep(0.05)
