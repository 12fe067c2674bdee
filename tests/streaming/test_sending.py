"""`Sending` over a real loopback connection whose transport still holds bytes: the file's
bytes must follow them, whole and in order, even when the caller closes its descriptor at
once (as a `Replay` does with a borrowed one)."""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path
from typing import cast

from revenge.streaming.zerocopy import Sending

HELD = 16 * 1024 * 1024  # more than the sockets' buffers take: the transport keeps some


class _Quiet(asyncio.Protocol):
    def __init__(self, made: asyncio.Future[asyncio.Transport]) -> None:
        self.made = made

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.made.set_result(cast(asyncio.Transport, transport))


def _client() -> socket.socket:
    """A client socket with a small receive buffer, so the server's fills soon."""
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    client.setblocking(False)
    return client


async def _read_all(sock: socket.socket, size: int) -> bytes:
    loop = asyncio.get_running_loop()
    chunks, got = [], 0
    while got < size:
        chunk = await loop.sock_recv(sock, 1 << 20)
        assert chunk, f"the server stopped after {got:,} of {size:,} bytes"
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


async def test_file_bytes_wait_for_what_the_transport_holds(tmp_path: Path) -> None:
    loop = asyncio.get_running_loop()
    made: asyncio.Future[asyncio.Transport] = loop.create_future()
    server = await loop.create_server(lambda: _Quiet(made), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = _client()
    try:
        await loop.sock_connect(client, ("127.0.0.1", port))
        transport = await made
        body = os.urandom(3 * 1024 * 1024)
        path = tmp_path / "file.bin"
        path.write_bytes(body)
        held = b"h" * HELD
        transport.write(held)  # the client reads nothing yet: the rest waits in the transport
        assert transport.get_write_buffer_size() > 0

        fd = os.open(path, os.O_RDONLY)
        try:
            rest = Sending(transport).send_now(fd, 1000, len(body) - 2000)
        finally:
            os.close(fd)  # the caller's descriptor goes at once; the wait has its own
        assert rest is not None, "nothing may be sent past bytes still held"

        received = await _read_all(client, HELD + len(body) - 2000)
        await asyncio.wait_for(rest, 10)
        assert received[:HELD] == held
        assert received[HELD:] == body[1000:-1000]
    finally:
        client.close()
        server.close()
        await server.wait_closed()


async def test_a_wait_ends_when_the_client_goes_away(tmp_path: Path) -> None:
    loop = asyncio.get_running_loop()
    made: asyncio.Future[asyncio.Transport] = loop.create_future()
    server = await loop.create_server(lambda: _Quiet(made), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = _client()
    try:
        await loop.sock_connect(client, ("127.0.0.1", port))
        transport = await made
        path = tmp_path / "file.bin"
        path.write_bytes(b"x" * 1024)
        transport.write(b"h" * HELD)
        opened = len(os.listdir("/proc/self/fd"))
        fd = os.open(path, os.O_RDONLY)
        try:
            rest = Sending(transport).send_now(fd, 0, 1024)
        finally:
            os.close(fd)
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
    finally:
        client.close()
        server.close()
        await server.wait_closed()
