"""A tiny real HTTP/1.1 server on loopback for outbound-HTTP tests (webhooks, providers)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False
    stream_bytes: int = 0  # send this many bytes of body in chunks (size-cap tests)


Handler = Callable[[Received], Awaitable[Reply] | Reply]


class LoopbackServer:
    """Serves `handler` on 127.0.0.1; every request is kept in `received`."""

    def __init__(self, handler: Handler | None = None) -> None:
        self.handler: Handler = handler or (lambda _r: Reply())
        self.received: list[Received] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[object]] = set()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> LoopbackServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 1)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        try:
            request = await self._read(reader)
            if request is None:
                return
            self.received.append(request)
            reply = self.handler(request)
            if not isinstance(reply, Reply):
                reply = await reply
            await self._write(writer, reply)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _read(self, reader: asyncio.StreamReader) -> Received | None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        body = await reader.readexactly(length) if length else b""
        return Received(method, path, headers, body)

    async def _write(self, writer: asyncio.StreamWriter, reply: Reply) -> None:
        if reply.hang:
            await asyncio.sleep(3600)
        size = reply.stream_bytes or len(reply.body)
        head = [f"HTTP/1.1 {reply.status} X", f"Content-Length: {size}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in reply.headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
        if reply.stream_bytes:
            chunk = b"x" * 65536
            for _ in range(reply.stream_bytes // len(chunk)):
                writer.write(chunk)
                await writer.drain()
        else:
            writer.write(reply.body)
        await writer.drain()
