"""`Sending` over a real loopback connection whose transport still holds bytes: the file's
bytes must follow them, whole and in order, even when the caller closes its descriptor at
once (as a `Replay` does with a borrowed one)."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import cast

from revenge.streaming.zerocopy import Sending

HELD = 16 * 1024 * 1024  # more than the sockets' buffers take: the transport keeps some


class _Quiet(asyncio.Protocol):
    def __init__(self, made: asyncio.Future[asyncio.Transport]) -> None:
        self.made = made

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.made.set_result(cast(asyncio.Transport, transport))


@asynccontextmanager
async def _holding() -> AsyncIterator[tuple[asyncio.Transport, socket.socket]]:
    """The server's transport of a loopback connection, holding `HELD` bytes of `h` its
    client (a socket with a small receive buffer, given too) has not read."""
    loop = asyncio.get_running_loop()
    made: asyncio.Future[asyncio.Transport] = loop.create_future()
    server = await loop.create_server(lambda: _Quiet(made), "127.0.0.1", 0)
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    client.setblocking(False)
    try:
        await loop.sock_connect(client, server.sockets[0].getsockname()[:2])
        transport = await made
        transport.write(b"h" * HELD)
        assert transport.get_write_buffer_size() > 0
        yield transport, client
    finally:
        client.close()
        server.close()
        await server.wait_closed()


async def _read_all(sock: socket.socket, size: int) -> bytes:
    loop = asyncio.get_running_loop()
    chunks, got = [], 0
    while got < size:
        chunk = await loop.sock_recv(sock, 1 << 20)
        assert chunk, f"the server stopped after {got:,} of {size:,} bytes"
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _send_closing_at_once(
    transport: asyncio.Transport, path: Path, offset: int, count: int
) -> Awaitable[None] | None:
    """`send_now` of a descriptor the caller closes as soon as it returns."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return Sending(transport).send_now(fd, offset, count)
    finally:
        os.close(fd)


async def test_file_bytes_wait_for_what_the_transport_holds(tmp_path: Path) -> None:
    body = os.urandom(3 * 1024 * 1024)
    path = tmp_path / "file.bin"
    path.write_bytes(body)
    async with _holding() as (transport, client):
        rest = _send_closing_at_once(transport, path, 1000, len(body) - 2000)
        assert rest is not None, "nothing may be sent past bytes still held"
        received = await _read_all(client, HELD + len(body) - 2000)
        await asyncio.wait_for(rest, 10)
    assert received[:HELD] == b"h" * HELD
    assert received[HELD:] == body[1000:-1000]


async def test_a_wait_ends_when_the_client_goes_away(tmp_path: Path) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(b"x" * 1024)
    async with _holding() as (transport, _):
        opened = len(os.listdir("/proc/self/fd"))
        rest = _send_closing_at_once(transport, path, 0, 1024)
        assert rest is not None
        transport.abort()  # the connection ends with the bytes still held
        try:
            await asyncio.wait_for(rest, 10)
        except OSError:
            pass
        else:
            raise AssertionError("a send to a connection that went away cannot succeed")
        await asyncio.sleep(0.01)  # the done callback closes the wait's duplicate
        # Gone: the connection's socket and the wait's duplicate of the file.
        assert len(os.listdir("/proc/self/fd")) == opened - 1
