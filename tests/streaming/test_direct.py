"""Stream answers written on uvicorn's connection keep every rule of the routed path."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from typing import Any

import httpx
import pytest

from revenge.runtime import Runtime
from revenge.streaming.direct import DirectStreams
from revenge.streaming.open_files import kept_open
from revenge.streaming.replays import Replay
from revenge.streaming.signing import file_scope, signer
from revenge.testing.auth import USER
from revenge.testing.seed import add_file
from tests.streaming.conftest import AS_ADMIN, AS_USER, CONTENT, Media


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each stream request was answered on the connection (True) or by the app: once
    parsed, or from its bytes (a declined one is then parsed, and recorded as that)."""
    seen: list[bool] = []
    parsed, from_bytes = DirectStreams._answered, Replay.__call__

    async def recording(self: DirectStreams, *args: Any) -> bool:
        result = await parsed(self, *args)
        seen.append(result)
        return result

    def recording_bytes(self: Replay, data: bytes) -> object:
        answering = from_bytes(self, data)
        if answering is not False:  # answered, or answering
            seen.append(True)
        return answering

    monkeypatch.setattr(DirectStreams, "_answered", recording)
    monkeypatch.setattr(Replay, "__call__", recording_bytes)
    return seen


async def test_ranges_are_answered_on_the_connection_with_the_guards_headers(
    served: str, clean_runtime: Runtime, media: Media, answered: list[bool]
) -> None:
    token = signer(clean_runtime).issue(USER, file_scope(media.file_id))
    url = f"{served}/api/v1/stream/{media.file_id}"
    counted_before = await _ranges_counted(served)
    async with httpx.AsyncClient(params={"token": token}) as http:
        whole = await http.get(url)
        part = await http.get(url, headers={"range": "bytes=1000-1999", "x-request-id": "p-1"})
        for n in range(30):  # one keep-alive connection stays in step
            r = await http.get(url, headers={"range": f"bytes={n}-{n}"})
            assert (r.status_code, r.content) == (206, CONTENT[n : n + 1])
    assert answered == [True] * 32
    assert (whole.status_code, whole.content) == (200, CONTENT)
    assert whole.headers["content-length"] == str(len(CONTENT))
    assert whole.headers["accept-ranges"] == "bytes"
    assert (part.status_code, part.content) == (206, CONTENT[1000:2000])
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(CONTENT)}"
    assert part.headers["x-request-id"] == "p-1"
    assert whole.headers["x-request-id"] and whole.headers["x-request-id"] != "p-1"
    assert part.headers["x-content-type-options"] == "nosniff"
    assert part.headers["etag"] == whole.headers["etag"] and part.headers["date"]
    # Every range is counted, those answered from their bytes too (the counter is the
    # process's: other tests' ranges came before).
    assert await _ranges_counted(served) - counted_before == 31


async def _ranges_counted(served: str) -> float:
    """The stream route's 206 answers, as `/metrics` counts them."""
    metrics = (await httpx.AsyncClient().get(f"{served}/metrics", headers=AS_ADMIN)).text
    series = (
        'revenge_http_requests_total{method="GET",route="/api/v1/stream/{file_id}",status="206"}'
    )
    found = [line for line in metrics.splitlines() if line.startswith(series + " ")]
    return float(found[0].split()[1]) if found else 0.0


async def test_refusals_and_conditional_answers_come_from_the_app(
    served: str, clean_runtime: Runtime, media: Media, answered: list[bool]
) -> None:
    url = f"{served}/api/v1/stream/{media.file_id}"
    size = len(CONTENT)
    async with httpx.AsyncClient() as http:
        anonymous = await http.get(url)
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"] == "application/problem+json"
        forged = await http.get(url, params={"token": "x" * 40})
        assert forged.status_code in (401, 403)
        other = signer(clean_runtime).issue(USER, file_scope(media.library_id))
        assert (await http.get(url, params={"token": other})).status_code in (401, 403)
        beyond = await http.get(url, headers={**AS_USER, "range": f"bytes={size}-"})
        assert (beyond.status_code, beyond.headers["content-range"]) == (416, f"bytes */{size}")
        etag = (await http.get(url, headers={**AS_USER, "range": "bytes=0-0"})).headers["etag"]
        fresh = await http.get(url, headers={**AS_USER, "if-none-match": etag})
        assert (fresh.status_code, fresh.content) == (304, b"")
        head = await http.head(url, headers=AS_USER)
        assert (head.status_code, head.content) == (200, b"")
    # Only the one range that could be sent went out on the connection; the rest were the
    # app's, and the HEAD never reached this layer's checks.
    assert answered == [False, False, False, False, True, False]


async def test_maintenance_mode_and_a_deleted_file_are_answered_by_the_app(
    served: str, api: httpx.AsyncClient, clean_runtime: Runtime, media: Media
) -> None:
    url = f"{served}/api/v1/stream/{media.file_id}"
    token = signer(clean_runtime).issue(USER, file_scope(media.file_id))
    setting = "/api/v1/admin/settings/maintenance.mode"
    async with httpx.AsyncClient(params={"token": token}) as http:
        assert (await http.get(url, headers={"range": "bytes=0-0"})).status_code == 206
        assert (await api.put(setting, json={"value": True}, headers=AS_ADMIN)).status_code == 200
        try:
            blocked = await http.get(url, headers={"range": "bytes=0-0"})
            assert blocked.status_code == 503 and blocked.json()["maintenance"] is True
        finally:
            await api.put(setting, json={"value": False}, headers=AS_ADMIN)
        assert (await http.get(url, headers={"range": "bytes=0-0"})).status_code == 206
        media.path.unlink()
        gone = await http.get(url, headers={"range": "bytes=0-0"})
        assert gone.status_code == 410


def _exchange(port: int, request: bytes, answers: int) -> list[bytes]:
    """Send raw bytes on one connection; the heads and bodies of `answers` responses."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        found: list[bytes] = []
        while len(found) < answers:
            chunk = sock.recv(65536)
            assert chunk, f"connection closed after {found}"
            data += chunk
            while b"\r\n\r\n" in data:
                head, _, rest = data.partition(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                if len(rest) < length:
                    break
                found.append(head + b"\r\n\r\n" + rest[:length])
                data = rest[length:]
        sock.settimeout(0.5)
        try:
            found.append(sock.recv(65536))  # b"" once the server has closed
        except TimeoutError:
            found.append(b"<open>")
        return found


async def test_pipelined_requests_and_connection_close(
    served: str, clean_runtime: Runtime, media: Media, answered: list[bool]
) -> None:
    token = signer(clean_runtime).issue(USER, file_scope(media.file_id))
    port = int(served.rsplit(":", 1)[1])
    target = f"/api/v1/stream/{media.file_id}?token={token}"

    def get(first: int, last: int, extra: str = "") -> bytes:
        return (
            f"GET {target} HTTP/1.1\r\nHost: t\r\nRange: bytes={first}-{last}\r\n{extra}\r\n"
        ).encode()

    pipelined = get(0, 3) + get(10, 13) + get(20, 23, "Connection: close\r\n")
    replies = await asyncio.to_thread(_exchange, port, pipelined, 3)
    bodies = [reply.split(b"\r\n\r\n", 1)[1] for reply in replies[:3]]
    assert bodies == [CONTENT[0:4], CONTENT[10:14], CONTENT[20:24]]
    assert b"connection: close" in replies[2].lower()
    assert replies[3] == b""  # closed after the last, as asked
    assert answered == [True, True, True]
    # A GET with a body is the app's to judge (its limits, its answer).
    with_body = get(0, 0, "Content-Length: 2\r\n") + b"{}"
    replies = await asyncio.to_thread(_exchange, port, with_body, 1)
    assert replies[0].startswith(b"HTTP/1.1 206")
    assert answered == [True, True, True]


async def test_a_connections_socket_closes_with_it(
    served: str, clean_runtime: Runtime, media: Media, answered: list[bool]
) -> None:
    """The duplicate of a connection's socket that heads are sent on goes when it goes:
    kept, it would hold the connection open after the server closed it. So do the
    descriptors a sending thread was given."""
    token = signer(clean_runtime).issue(USER, file_scope(media.file_id))
    port = int(served.rsplit(":", 1)[1])
    target = f"/api/v1/stream/{media.file_id}?token={token}"
    request = f"GET {target} HTTP/1.1\r\nHost: t\r\nRange: bytes=0-3\r\n"
    await asyncio.to_thread(_exchange, port, (request + "\r\n").encode(), 1)  # warm: file kept
    await asyncio.sleep(0.2)  # the server has seen that connection end
    before = _open_descriptors()
    for _ in range(10):  # closed by the server, as asked: the client sees the end
        close = (request + "Connection: close\r\n\r\n").encode()
        replies = await asyncio.to_thread(_exchange, port, close, 1)
        assert replies[0].split(b"\r\n\r\n", 1)[1] == CONTENT[0:4] and replies[1] == b""
    for _ in range(10):  # closed by the client
        await asyncio.to_thread(_exchange, port, (request + "\r\n").encode(), 1)
    # A file larger than the socket takes at once: the rest goes from a sending thread.
    big = media.path.parent / "Big.mkv"
    big.write_bytes(b"\1" * (48 * 1024 * 1024))
    big_id = await add_file(clean_runtime, media.library_id, big)
    big_token = signer(clean_runtime).issue(USER, file_scope(big_id))
    for _ in range(3):
        got = await asyncio.to_thread(_whole, port, f"/api/v1/stream/{big_id}?token={big_token}")
        assert got == big.stat().st_size
    await asyncio.sleep(0.2)
    await kept_open(clean_runtime).close()  # the files kept open for the next ranges
    # The test's own process: what else it runs may close descriptors meanwhile, not open any.
    assert _open_descriptors() <= before
    assert answered == [True] * 24


def _whole(port: int, target: str) -> int:
    """GET `target` whole on a new connection, reading slowly at first; the bytes received."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
        time.sleep(0.2)  # the server fills the socket and hands the rest to a thread
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        got, buffer = len(body), bytearray(1 << 20)
        while got < length:
            n = sock.recv_into(buffer)
            assert n, "closed early"
            got += n
        return got


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))
