"""uvicorn's protocol with eager handlers: answers in order, timers and contexts kept right."""

from __future__ import annotations

import asyncio
import contextvars
import socket
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import pytest
import uvicorn
from starlette.types import Receive, Scope, Send

from revenge.infra.eager_http import CONNECTION, Connection, eager_protocol, in_a_task
from revenge.testing.services import free_port

KEEP_ALIVE = 1
seen = contextvars.ContextVar[str]("seen", default="-")
ran_in: list[tuple[str, object]] = []  # each handler's path and the task it answered in


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers with the context the handler saw and whether it ran in a task.

    `/wait` waits longer than the keep-alive timeout; `/task` needs a task (asyncio.timeout);
    `/routed` is not eligible for an eager start; `/short` gives the connection a shortcut;
    `/sender` makes the connection's own socket for heads. A WebSocket is refused."""
    if scope["type"] != "http":
        return
    if scope["path"] == "/short":
        scope[CONNECTION].shortcut = _shortcut(scope[CONNECTION])
    if scope["path"] == "/sender":
        scope[CONNECTION].sender()  # as a stream's answer makes it
    before = seen.get()
    seen.set(scope["path"])
    if scope["path"] == "/wait":
        await asyncio.sleep(KEEP_ALIVE * 1.3)
    in_task = asyncio.current_task() is not None
    if scope["path"] == "/task":
        await in_a_task()
        async with asyncio.timeout(1):
            await asyncio.sleep(0)
        in_task = True
    ran_in.append((scope["path"], asyncio.current_task()))
    body = f"{scope['path']} saw {before} in {'a task' if in_task else 'no task'}".encode()
    headers = [(b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _shortcut(connection: Connection) -> Callable[[bytes], bool | Coroutine[Any, Any, bool]]:
    """Answers `/s/now` at once and `/s/wait` after a while, declines `/s/no` (the app then
    answers it), fails on `/s/boom` at once and on `/s/late-boom` after a while; recognises
    no other bytes."""

    def answer(path: str) -> bool:
        if path.endswith("boom"):
            raise RuntimeError("boom")
        body = f"shortcut {path}".encode()
        head = f"HTTP/1.1 200 OK\r\ncontent-length: {len(body)}\r\n\r\n".encode()
        connection.transport.write(head + body)
        return True

    async def later(path: str) -> bool:
        await asyncio.sleep(0.3)
        return answer(path)

    def shortcut(data: bytes) -> bool | Coroutine[Any, Any, bool]:
        line, _, rest = data.partition(b"\r\n")
        if not line.startswith(b"GET /s/") or rest != b"Host: t\r\n\r\n":
            return False
        path = line.split()[1].decode()
        if path == "/s/no":
            return False
        return later(path) if path in ("/s/wait", "/s/late-boom") else answer(path)

    return shortcut


@pytest.fixture
async def port() -> AsyncIterator[int]:
    chosen = free_port()
    eager = eager_protocol(lambda scope: scope["path"] != "/routed")
    config = uvicorn.Config(
        app, http=eager, host="127.0.0.1", port=chosen, log_config=None, lifespan="off",
        timeout_keep_alive=KEEP_ALIVE,
    )  # fmt: skip
    server = uvicorn.Server(config)
    ran_in.clear()
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    yield chosen
    server.should_exit = True
    await task


def _get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n".encode()


class Client:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.data = b""

    def answers(self, count: int) -> list[str]:
        """The bodies of the next `count` responses."""
        bodies: list[str] = []
        while len(bodies) < count:
            while b"\r\n\r\n" in self.data:
                head, _, rest = self.data.partition(b"\r\n\r\n")
                assert head.startswith(b"HTTP/1.1 200"), head
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                if len(rest) < length:
                    break
                bodies.append(rest[:length].decode())
                self.data = rest[length:]
            if len(bodies) < count:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError(f"closed after {bodies}")
                self.data += chunk
        return bodies

    def closed(self) -> bool:
        """Whether the server closes the connection (within half a second)."""
        self.sock.settimeout(0.5)
        try:
            while self.sock.recv(65536):
                pass
        except TimeoutError:
            return False
        return True


def _pipelined(port: int) -> tuple[list[str], bool, bool]:
    conn = Client(port)
    # The first is answered before the second is read, which arms the keep-alive timer; the
    # second then outlasts that timeout, and must not be cut off by it.
    conn.sock.sendall(_get("/now") + _get("/wait") + _get("/now"))
    bodies = conn.answers(3)
    open_after = not conn.closed()
    time.sleep(KEEP_ALIVE * 1.2)
    return bodies, open_after, conn.closed()


async def test_pipelined_requests_keep_order_contexts_and_the_connection(port: int) -> None:
    bodies, open_after, closed_when_idle = await asyncio.to_thread(_pipelined, port)
    # Each started from a fresh context; the one that waited went on in a task, and the one
    # queued behind it started as a task of its own.
    assert bodies == ["/now saw - in no task", "/wait saw - in a task", "/now saw - in a task"]
    assert ran_in[2][1] is not ran_in[1][1]  # its own, not the one it queued behind
    assert open_after and closed_when_idle  # idle past the timeout: closed, as uvicorn does


def _one_by_one(port: int, paths: list[str]) -> list[str]:
    return _one_by_one_on(Client(port), paths)


def _one_by_one_on(conn: Client, paths: list[str]) -> list[str]:
    bodies: list[str] = []
    for path in paths:
        conn.sock.sendall(_get(path))
        bodies += conn.answers(1)
    return bodies


async def test_only_eligible_requests_start_eagerly_and_can_move_into_a_task(port: int) -> None:
    bodies = await asyncio.to_thread(_one_by_one, port, ["/routed", "/task", "/now"])
    assert bodies == ["/routed saw - in a task", "/task saw - in a task", "/now saw - in no task"]


def _steady_then_idle(port: int, path: str = "/now") -> tuple[list[str], bool, bool]:
    conn = Client(port)
    if path.startswith("/s/"):
        _one_by_one_on(conn, ["/short"])
    bodies: list[str] = []
    for n in range(6):  # 2 s of requests, each well before the keep-alive timeout runs out
        time.sleep(KEEP_ALIVE * 0.4 if n else 0)
        conn.sock.sendall(_get(path))
        bodies += conn.answers(1)
    open_while_used = not conn.closed()  # half a second idle
    time.sleep(KEEP_ALIVE * 0.8)  # idle past the timeout, counted from the last answer
    return bodies, open_while_used, conn.closed()


async def test_a_connection_in_use_stays_open_and_closes_once_idle(port: int) -> None:
    bodies, open_while_used, closed_when_idle = await asyncio.to_thread(_steady_then_idle, port)
    assert bodies == ["/now saw - in no task"] * 6
    assert open_while_used and closed_when_idle


async def test_so_does_one_its_shortcut_answers(port: int) -> None:
    """The keep-alive timer runs on across shortcut answers, and waits on when it finds
    the connection used since it was set."""
    used = await asyncio.to_thread(_steady_then_idle, port, "/s/now")
    assert used == (["shortcut /s/now"] * 6, True, True)


def _sent_one_by_one(conn: Client, paths: list[str], pause: float = 0.0) -> None:
    for path in paths:
        conn.sock.sendall(_get(path))
        time.sleep(pause)


def _shortcuts(port: int) -> tuple[list[str], list[str], bool, bool]:
    conn = Client(port)
    bodies: list[str] = []
    for path in ["/short", "/s/now", "/s/no", "/now", "/s/now"]:
        conn.sock.sendall(_get(path))
        bodies += conn.answers(1)
    # What arrives while a shortcut's answer waits is answered after it, in order (the
    # connection is not read meanwhile: it comes as one piece, for the parser).
    _sent_one_by_one(conn, ["/s/wait", "/s/now", "/now", "/s/no"], pause=0.05)
    held = conn.answers(4)
    open_while_used = not conn.closed()
    time.sleep(KEEP_ALIVE * 0.8)  # idle past the timeout, counted from the last answer
    return bodies, held, open_while_used, conn.closed()


async def test_a_connections_shortcut_answers_requests_from_their_bytes(port: int) -> None:
    bodies, held, open_while_used, closed_when_idle = await asyncio.to_thread(_shortcuts, port)
    assert bodies == [
        "/short saw - in no task",
        "shortcut /s/now",
        "/s/no saw - in no task",  # declined: parsed, and the app answered it
        "/now saw - in no task",  # not recognised
        "shortcut /s/now",
    ]
    assert [body.split(" saw ")[0] for body in held] == [
        "shortcut /s/wait",
        "/s/now",
        "/now",
        "/s/no",
    ]
    assert open_while_used and closed_when_idle  # the keep-alive timer, armed after each


def _failing(port: int, path: str) -> tuple[bool, list[str]]:
    conn = Client(port)
    _sent_one_by_one(conn, ["/short"])
    conn.answers(1)
    _sent_one_by_one(conn, [path])
    return conn.closed(), _one_by_one(port, ["/now"])


@pytest.mark.parametrize("path", ["/s/boom", "/s/late-boom"])
async def test_a_failed_shortcut_ends_its_connection_only(
    port: int, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    closed, after = await asyncio.to_thread(_failing, port, path)
    assert closed and after == ["/now saw - in no task"]
    assert "A request's answer failed." in caplog.text


_UPGRADE = (
    b"GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
)


def _upgraded_then_refused(port: int) -> bool:
    conn = Client(port)
    _one_by_one_on(conn, ["/sender"])
    conn.sock.sendall(_UPGRADE)
    return conn.closed()


async def test_a_connection_upgraded_to_a_websocket_lets_go_of_its_socket(port: int) -> None:
    """The connection goes on with another protocol, which closes it: the socket kept for
    heads must not hold it open."""
    assert await asyncio.to_thread(_upgraded_then_refused, port)
