"""The `http.response.zerocopysend` ASGI extension for uvicorn, which lacks it.

`revenge serve` wraps the application with `ZeroCopyApp`. For an HTTP request served by
uvicorn's HTTP/1.1 protocol it advertises the extension; a zerocopysend message is then
sent with `os.sendfile` straight from the file to the socket in a worker thread (the event
loop never waits on it), after the response head has left the transport's buffer. Any other
server (or the test client) sees the plain application, and responses fall back to reads.
"""

from __future__ import annotations

import asyncio
import os
import select
import socket
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from revenge.infra.eager_http import Connection

EXTENSION = "http.response.zerocopysend"
# A player reads at its playback rate, so a sendfile thread mostly waits for its socket to
# drain: the default executor (cores + 4 threads) let only that many players progress at once
# (measured: 6 of 50 clients at 20 Mbit/s kept up). Waiting threads cost a stack and no CPU.
SENDFILE_THREADS = 512
_senders = ThreadPoolExecutor(SENDFILE_THREADS, thread_name_prefix="sendfile")


def _sendfile_all(sock_fd: int, file_fd: int, offset: int, count: int) -> None:
    """Blocking loop over a non-blocking socket: sendfile, wait until writable, repeat."""
    while count > 0:
        try:
            sent = os.sendfile(sock_fd, file_fd, offset, min(count, 1 << 30))
        except BlockingIOError:
            select.select([], [sock_fd], [], 5.0)
            continue
        if sent == 0:
            raise OSError("The file became shorter while it was being sent.")
        offset += sent
        count -= sent


def _sendfile_owned(sock_fd: int, file_fd: int, offset: int, count: int) -> None:
    """`_sendfile_all`, then close both descriptors, which the caller gave to this thread."""
    try:
        _sendfile_all(sock_fd, file_fd, offset, count)
    finally:
        os.close(sock_fd)
        os.close(file_fd)


class Sending:
    """A response written straight on a connection: a head the caller built, then the bytes
    of a file, with sendfile. Used as it is for an answer no uvicorn cycle knows of (one a
    connection's shortcut gives, `infra.eager_http`); `Cycle` keeps uvicorn's in step."""

    def __init__(self, transport: Any, connection: Connection | None = None) -> None:
        self.transport = transport
        self.connection = connection

    def _socket_fd(self) -> int:
        if self.connection is not None:
            return self.connection.sender().fileno()
        fd: int = self.transport.get_extra_info("socket").fileno()
        return fd

    async def send_file(self, fd: int, offset: int, count: int) -> None:
        """Send `count` bytes of `fd` from `offset`, after what the transport still holds."""
        rest = self.send_now(fd, offset, count)
        if rest is not None:
            await rest

    def send_now(self, fd: int, offset: int, count: int) -> Awaitable[None] | None:
        """`send_file`, as far as it goes without waiting: None when all is sent, else what
        finishes sending. What goes on sends from descriptors of its own, closed when it is
        done, whatever becomes of the caller: the caller may close `fd` once this returns."""
        if self.transport.get_write_buffer_size() > 0:
            own = os.dup(fd)
            waiting = asyncio.ensure_future(self._send_after_buffer(own, offset, count))
            waiting.add_done_callback(lambda _: os.close(own))  # even if it never started
            return waiting
        sock_fd = self._socket_fd()
        # What fits in the socket buffer now goes without a thread hop.
        try:
            sent = os.sendfile(sock_fd, fd, offset, count)
        except BlockingIOError:
            sent = 0
        if sent < count:
            # The thread closes its duplicates itself: the caller's may be closed, and their
            # numbers given to other files, while it still sends (a cancelled wait does not
            # stop the thread).
            own_sock, own_file = os.dup(sock_fd), os.dup(fd)
            rest = asyncio.get_running_loop().run_in_executor(
                _senders, _sendfile_owned, own_sock, own_file, offset + sent, count - sent
            )
            return self._counted_once(rest, count)
        self._count(count)
        return None

    async def _send_after_buffer(self, fd: int, offset: int, count: int) -> None:
        # An asyncio transport aborted (or failed) drops what it held at once: its buffer
        # empties without those bytes having left, and the file's must not follow them.
        while not self.transport.is_closing():
            if self.transport.get_write_buffer_size() == 0:
                await self.send_file(fd, offset, count)
                return
            await asyncio.sleep(0.0005)
        raise OSError("The client went away.")

    async def _counted_once(self, sending: asyncio.Future[None], count: int) -> None:
        await sending
        self._count(count)

    def _count(self, sent: int) -> None:
        """Note `sent` bytes of the body as sent."""

    def start(self, head: bytes, length: int) -> None:
        """Write a response head built by the caller, for a body of `length` bytes to come
        through `send_file`."""
        if self.transport.get_write_buffer_size() == 0:
            # Held back (MSG_MORE) to leave with the body's first bytes, as nginx's
            # `tcp_nopush` does: one segment, one wake-up of the client fewer.
            head = head[self._send_more(head) :]
        if head:
            self.transport.write(head)

    def _send_more(self, head: bytes) -> int:
        """Send what of `head` the socket takes now, flagged MSG_MORE; the count sent."""
        if self.connection is not None:
            sock = self.connection.sender()
            detach = False
        else:  # a socket object over the transport's own descriptor, for this send only
            pseudo = self.transport.get_extra_info("socket")
            sock = socket.socket(pseudo.family, pseudo.type, pseudo.proto, pseudo.fileno())
            detach = True
        try:
            return sock.send(head, socket.MSG_MORE)
        except OSError:  # full, or a socket without MSG_MORE: the transport sends it
            return 0
        finally:
            if detach:
                sock.detach()

    def finish(self) -> None:
        """End the response begun with `start` and sent with `send_file`."""

    @property
    def keep_alive(self) -> bool:
        return True

    @property
    def default_headers(self) -> list[tuple[bytes, bytes]]:
        """The headers uvicorn adds to every response (`server`, `date`), not to be changed."""
        return [] if self.connection is None else self.connection.default_headers


class Cycle(Sending):
    """A response sent past uvicorn's request/response cycle, which it keeps in step."""

    def __init__(self, cycle: Any, connection: Connection | None = None) -> None:
        super().__init__(cycle.transport, connection)
        self.cycle = cycle

    @classmethod
    def of(cls, send: Send, connection: Connection | None = None) -> Cycle | None:
        """The cycle behind uvicorn's own `send`, else None (another server, a wrapped send).
        `connection`: the request's (`infra.eager_http`), when it came through that protocol."""
        cycle = getattr(send, "__self__", None)
        transport = getattr(cycle, "transport", None)
        if transport is None or not hasattr(cycle, "expected_content_length"):
            return None
        if connection is not None:
            return cls(cycle, connection)
        sock = transport.get_extra_info("socket")
        return cls(cycle) if sock is not None and hasattr(sock, "fileno") else None

    def _count(self, sent: int) -> None:
        self.cycle.expected_content_length -= sent

    def start(self, head: bytes, length: int) -> None:
        """As `Sending.start`; uvicorn's cycle then counts the response as its own."""
        self.cycle.response_started = True
        self.cycle.chunked_encoding = False
        self.cycle.expected_content_length = length
        super().start(head, length)

    def finish(self) -> None:
        """End the response as uvicorn's `send` of a last, empty body would: the cycle
        complete, the connection kept or closed."""
        cycle = self.cycle
        if cycle.disconnected:
            return
        cycle.response_complete = True
        cycle.message_event.set()
        if not cycle.keep_alive:
            self.transport.close()
        cycle.on_response()

    @property
    def keep_alive(self) -> bool:
        return bool(self.cycle.keep_alive)

    @property
    def default_headers(self) -> list[tuple[bytes, bytes]]:
        """uvicorn's own list, replaced each second."""
        headers: list[tuple[bytes, bytes]] = self.cycle.default_headers
        return headers


class ZeroCopyApp:
    """Wraps an ASGI app, adding the zerocopysend extension where the server allows it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cycle = Cycle.of(send) if scope["type"] == "http" else None

        if cycle is None:
            await self.app(scope, receive, send)
            return
        scope["extensions"] = {**(scope.get("extensions") or {}), EXTENSION: {}}

        async def zero_copy_send(message: Message) -> None:
            if message["type"] != EXTENSION:
                await send(message)
                return
            offset = int(message.get("offset") or 0)
            await cycle.send_file(message["file"], offset, int(message["count"]))
            if not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app(scope, receive, zero_copy_send)
