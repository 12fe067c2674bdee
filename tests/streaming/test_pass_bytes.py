"""A player's next ranges are recognised from their bytes, and answered as the pass would."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from typing import Any

import pytest

from revenge.runtime import Runtime
from revenge.streaming import passes
from revenge.streaming.replays import Replay
from revenge.streaming.request_bytes import RangeRequest
from revenge.streaming.signing import file_scope, signer
from revenge.testing.auth import USER
from revenge.testing.seed import add_file
from tests.streaming.conftest import CONTENT, Media


@pytest.fixture
def decided(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many requests the pass answered once uvicorn had parsed them, and how many from
    their bytes."""
    counts = {"parsed": 0, "bytes": 0}
    by_scope, by_bytes = passes.answer, Replay.__call__

    def parsed(*args: Any) -> object:
        found = by_scope(*args)
        counts["parsed"] += found is not None
        return found

    def from_bytes(self: Replay, data: bytes) -> object:
        answering = by_bytes(self, data)
        counts["bytes"] += answering is not False  # answered, or answering
        return answering

    monkeypatch.setattr(passes, "answer", parsed)
    monkeypatch.setattr(Replay, "__call__", from_bytes)
    return counts


class Player:
    """One connection, sending range requests of one target as a player does."""

    def __init__(self, port: int, target: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.target = target
        self.data = b""

    def request(self, first: int | str, last: int | str = "", extra: str = "") -> bytes:
        range_ = f"bytes={first}-{last}"
        return f"GET {self.target} HTTP/1.1\r\nHost: t\r\nRange: {range_}\r\n{extra}\r\n".encode()

    def get(self, first: int | str, last: int | str = "", extra: str = "") -> tuple[bytes, bytes]:
        self.sock.sendall(self.request(first, last, extra))
        return self.answer()

    def answer(self) -> tuple[bytes, bytes]:
        """The next response's head and body."""
        while b"\r\n\r\n" not in self.data:
            self.data += self._recv()
        head, _, self.data = self.data.partition(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        while len(self.data) < length:
            self.data += self._recv()
        body, self.data = self.data[:length], self.data[length:]
        return head, body

    def _recv(self) -> bytes:
        chunk = self.sock.recv(1 << 20)
        assert chunk, "the server closed the connection"
        return chunk


def _media_url(served: str, runtime: Runtime, file_id: uuid.UUID) -> tuple[int, str]:
    """The port and the signed media URL's target a player of USER's would fetch."""
    token = signer(runtime).issue(USER, file_scope(file_id))
    return int(served.rsplit(":", 1)[1]), f"/api/v1/stream/{file_id}?token={token}"


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {name.lower(): value.strip() for name, _, value in (ln.partition(":") for ln in lines)}


def _playing(port: int, target: str) -> list[tuple[bytes, bytes]]:
    player = Player(port, target)
    return [player.get(n * 10, n * 10 + 9) for n in range(10)]


async def test_the_next_ranges_are_answered_from_their_bytes(
    served: str, clean_runtime: Runtime, media: Media, decided: dict[str, int]
) -> None:
    port, target = _media_url(served, clean_runtime, media.file_id)
    answers = await asyncio.to_thread(_playing, port, target)
    assert decided == {"parsed": 0, "bytes": 9}  # the routed path decided the first
    assert [body for _, body in answers] == [CONTENT[n * 10 : n * 10 + 10] for n in range(10)]
    heads = [_headers(head) for head, _ in answers]
    for n, (head, _) in enumerate(answers):
        assert head.startswith(b"HTTP/1.1 206 Partial Content\r\n")
        assert heads[n]["content-range"] == f"bytes {n * 10}-{n * 10 + 9}/{len(CONTENT)}"
        assert heads[n]["x-content-type-options"] == "nosniff"
        assert {"date", "server", "etag", "last-modified", "content-type"} <= heads[n].keys()
    assert len({head["x-request-id"] for head in heads}) == 10
    assert len({head["etag"] for head in heads}) == 1
    # The very head the routed path writes (the first), line for line, but what differs.
    shapes = {_shape(head) for head, _ in answers}
    assert len(shapes) == 1


def _shape(head: bytes) -> tuple[str, ...]:
    """The head's lines, with the values a range and a second change left out."""
    lines = head.decode("latin-1").split("\r\n")
    varying = ("date:", "x-request-id:", "content-range:", "content-length:")
    return tuple(ln.split(":")[0] if ln.lower().startswith(varying) else ln for ln in lines)


def _other_forms(port: int, target: str) -> list[tuple[bytes, bytes]]:
    player = Player(port, target)
    got = [player.get(0, 3), player.get(4, 7)]  # routed, then from its bytes
    # A request in two pieces, and two in one: uvicorn parses them.
    first = player.request(8, 11)
    player.sock.sendall(first[:20])
    time.sleep(0.05)
    player.sock.sendall(first[20:])
    got.append(player.answer())
    player.sock.sendall(player.request(12, 15) + player.request(16, 19))
    got += [player.answer(), player.answer()]
    got.append(player.get("", 5))  # a suffix range: not the players' form
    got.append(player.get(len(CONTENT) + 10))  # past the end: the routed path's 416
    got.append(player.get(20, 23))  # from its bytes again
    return got


async def test_requests_of_other_forms_are_parsed_as_ever(
    served: str, clean_runtime: Runtime, media: Media, decided: dict[str, int]
) -> None:
    port, target = _media_url(served, clean_runtime, media.file_id)
    got = await asyncio.to_thread(_other_forms, port, target)
    bodies = [body for _, body in got]
    assert bodies[:6] == [CONTENT[0:4], CONTENT[4:8], CONTENT[8:12], CONTENT[12:16],
                          CONTENT[16:20], CONTENT[-5:]]  # fmt: skip
    assert got[6][0].startswith(b"HTTP/1.1 416")
    assert _headers(got[6][0])["content-range"] == f"bytes */{len(CONTENT)}"
    assert bodies[7] == CONTENT[20:24]
    # The 416 too was parsed: declined from its bytes, the routed path answers it.
    assert decided == {"parsed": 5, "bytes": 2}


def _big_then_next(port: int, target: str, size: int) -> tuple[int, bytes]:
    player = Player(port, target)
    player.get(0, 0)
    # The socket fills long before the big range is sent, so its answer waits on a sending
    # thread; the next request comes meanwhile, and is answered after it.
    player.sock.sendall(player.request(0, size - 1))
    time.sleep(0.1)
    player.sock.sendall(player.request(5, 9))
    time.sleep(0.2)
    return len(player.answer()[1]), player.answer()[1]


async def test_a_range_sent_from_a_thread_keeps_the_next_request_waiting(
    served: str, clean_runtime: Runtime, media: Media, decided: dict[str, int]
) -> None:
    big = media.path.parent / "Big.mkv"
    big.write_bytes(bytes(range(256)) * (48 * 4096))
    big_id = await add_file(clean_runtime, media.library_id, big)
    port, target = _media_url(served, clean_runtime, big_id)
    size = big.stat().st_size
    sent, after = await asyncio.to_thread(_big_then_next, port, target, size)
    assert (sent, after) == (size, bytes(range(5, 10)))
    assert decided["bytes"] == 2


def _recognised(request: bytes, scope: dict[str, Any]) -> RangeRequest | None:
    return RangeRequest.of(request, scope)


@pytest.mark.parametrize(
    ("request_bytes", "kept"),
    [
        (b"GET /s?t=1 HTTP/1.1\r\nHost: t\r\nRange:  bytes=0-9 \r\nA: b\r\n\r\n", True),
        (b"GET /s?t=1 HTTP/1.1\r\nHost: t\r\nRange: bytes=0-9\r\nA: b\r\n\r\nGET /s", False),
        (b"GET /s?t=2 HTTP/1.1\r\nHost: t\r\nRange: bytes=0-9\r\nA: b\r\n\r\n", False),
        (b"GET /s?t=1 HTTP/1.1\r\nHost: t\r\nRange: bytes=0-9\r\n\r\n", False),
        (b"GET /s?t=1 HTTP/1.1\r\nHost: t\r\nRange: bytes=0-9\r\nA: c\r\n\r\n", False),
        (b"GET /s?t=1 HTTP/1.1\r\nHost: t\r\nRange: bytes=-9\r\nA: b\r\n\r\n", False),
    ],
)
def test_only_the_very_request_parsed_is_kept_as_bytes(request_bytes: bytes, kept: bool) -> None:
    """The scope uvicorn parsed from `GET /s?t=1` with its three headers."""
    headers = [(b"host", b"t"), (b"range", b"bytes=0-9"), (b"a", b"b")]
    if b"bytes=-9" in request_bytes:
        headers[1] = (b"range", b"bytes=-9")
    scope = {"http_version": "1.1", "raw_path": b"/s", "query_string": b"t=1", "headers": headers}
    request = _recognised(request_bytes, scope)
    assert (request is not None) == kept
    if request is not None:
        again = request_bytes.replace(b"bytes=0-9", b"bytes=100-")
        assert request.range_of(again) == (100, None)
        assert request.range_of(request_bytes.replace(b"0-9", b"7-1")) == (7, 1)
        for other in (again + again, again.replace(b"A: b", b"A: c"), again[:-2]):
            assert request.range_of(other) is None
        assert request.range_of(request_bytes.replace(b"0-9", b"1-2\r\nX: y")) is None


def test_a_pass_upgraded_with_bytes_keeps_what_it_was_made_from() -> None:
    """A pass made from a whole-file request gains the bytes of the next range request."""
    scope = {
        "http_version": "1.1",
        "raw_path": b"/s",
        "query_string": b"",
        "headers": [(b"host", b"t"), (b"range", b"bytes=0-0")],
    }
    memo = passes.StreamPass("/s", b"", uuid.uuid4(), "t", (), None, "video/x", "a", None)  # type: ignore[arg-type]
    upgraded = passes.with_request(
        memo, b"GET /s HTTP/1.1\r\nHost: t\r\nRange: bytes=0-0\r\n\r\n", scope
    )
    assert upgraded.request is not None and upgraded.file_id == memo.file_id
    assert passes.with_request(memo, b"GET /other HTTP/1.1\r\n\r\n", scope) is memo
