"""An ASGI response that sends an already opened file, whole or one byte range.

The file descriptor is opened by the caller after the path has been confined to a library
root, so nothing here ever opens a path again (no window to swap a symlink in). When the
server offers the `http.response.zerocopysend` extension the kernel copies the bytes
(sendfile); otherwise large positional reads run in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Coroutine
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from revenge.streaming.ranges import ByteRange, Unsatisfiable, parse_range

CHUNK = 1024 * 1024
ZEROCOPY = "http.response.zerocopysend"
# The request headers a file answer reads (one pass over the raw list, no Headers object).
_WANTED = frozenset({b"range", b"if-range", b"if-none-match"})
# The headers every answer for one version of one file shares, built once: a player sends
# hundreds of range requests for the same file, and formatting the date, the ETag and the
# list each time was a measurable part of a request. A plain dict, emptied when full (each
# file in play then builds its entry again once): an LRU's bookkeeping cost more than the hit.
_FILE_HEADERS: dict[tuple[int, int, int, int, str], FileHeaders] = {}
_MAX_FILE_HEADERS = 1024


def etag_of(st: os.stat_result) -> str:
    """A strong validator: changes when the file is replaced or rewritten."""
    return f'"{st.st_ino:x}-{st.st_size:x}-{st.st_mtime_ns:x}"'


def _if_range_matches(value: str, etag: str, st: os.stat_result) -> bool:
    value = value.strip()
    if value.startswith('"'):
        return value == etag  # weak tags never match (strong comparison)
    if value.startswith("W/"):
        return False
    try:
        return int(parsedate_to_datetime(value).timestamp()) == int(st.st_mtime)
    except (TypeError, ValueError, IndexError, OverflowError):
        return False


@dataclass(frozen=True, slots=True)
class FileHeaders:
    etag: str
    headers: tuple[tuple[bytes, bytes], ...]
    block: bytes  # `headers` as they stand in a response head


def file_headers(st: os.stat_result, media_type: str) -> FileHeaders:
    """The ETag and the headers of a file version (from `_FILE_HEADERS`)."""
    key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, media_type)
    built = _FILE_HEADERS.get(key)
    if built is None:
        etag = etag_of(st)
        headers = (
            (b"content-type", media_type.encode("latin-1")),
            (b"accept-ranges", b"bytes"),
            (b"etag", etag.encode()),
            (b"last-modified", formatdate(st.st_mtime, usegmt=True).encode()),
            (b"cache-control", b"private, max-age=0"),
        )
        block = b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        if len(_FILE_HEADERS) >= _MAX_FILE_HEADERS:
            _FILE_HEADERS.clear()
        built = _FILE_HEADERS[key] = FileHeaders(etag, headers, block)
    return built


@dataclass(slots=True)  # not frozen: a frozen dataclass costs three times as much to make
class Answer:
    """A reply planned by `OpenFileResponse.answer`: `part` is None when it has no body.

    `headers` open with the file version's own, which `file_block` holds as they stand in a
    response head (written once per version, not once per range); the rest follow them.
    """

    status: int
    headers: list[tuple[bytes, bytes]]
    part: ByteRange | None
    file_block: bytes = b""
    file_count: int = 0  # how many of `headers` `file_block` holds

    @property
    def range_headers(self) -> list[tuple[bytes, bytes]]:
        """The headers after the file's own: the ones of this answer's range."""
        return self.headers[self.file_count :]


class OpenFileResponse(Response):
    """Sends `fd` (and closes it) as the reply to a GET or HEAD."""

    def __init__(self, fd: int, st: os.stat_result, media_type: str, filename: str) -> None:
        # Not Starlette's __init__: the headers it builds are never sent (`answer` makes them).
        self.status_code = 200
        self.media_type = media_type
        self.background = None
        self.body = b""
        self.raw_headers: list[tuple[bytes, bytes]] = []
        self.fd = fd
        self.st = st
        self.file_type = media_type
        self.filename = filename

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self._respond(scope, receive, send)
        finally:
            os.close(self.fd)

    def answer(self, scope: Scope) -> Answer:
        """The status, headers and bytes of the reply to the request in `scope`."""
        request = _request_headers(scope)
        size = self.st.st_size
        own = file_headers(self.st, self.file_type)
        etag, headers = own.etag, list(own.headers)
        if request.get("if-none-match", "").strip() in (etag, "*"):
            return Answer(304, headers, None)
        chosen: ByteRange | None = None
        if_range = request.get("if-range")
        if if_range is None or _if_range_matches(if_range, etag, self.st):
            try:
                chosen = parse_range(request.get("range"), size)
            except Unsatisfiable:
                headers.append((b"content-range", f"bytes */{size}".encode()))
                headers.append((b"content-length", b"0"))
                return Answer(416, headers, None)
        if chosen is None:
            status, part = 200, ByteRange(0, size)
        else:
            status, part = 206, chosen
            headers.append((b"content-range", f"bytes {part.start}-{part.end - 1}/{size}".encode()))
        headers.append((b"content-length", str(part.length).encode()))
        no_body = scope["method"] == "HEAD" or part.length == 0
        part_or_none = None if no_body else part
        return Answer(status, headers, part_or_none, own.block, len(own.headers))

    async def _respond(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = self.answer(scope)
        await send({"type": "http.response.start", "status": answer.status,
                    "headers": answer.headers})  # fmt: skip
        part = answer.part
        if part is None:
            await send({"type": "http.response.body", "body": b""})
            return
        if ZEROCOPY in scope.get("extensions", {}):
            # A vanished client fails the sendfile itself: no watcher needed.
            await send({"type": ZEROCOPY, "file": self.fd, "offset": part.start,
                        "count": part.length})  # fmt: skip
            return
        await until_disconnect(receive, _send_body(send, self.fd, part))


def _request_headers(scope: Scope) -> dict[str, str]:
    """The conditional and range headers of the request (the first of each, as Starlette's
    `Headers.get` would give)."""
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        if name in _WANTED:
            found.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    return found


async def until_disconnect(receive: Receive, body: Coroutine[Any, Any, None]) -> None:
    """Run `body` (what sends the response body); stop it as soon as the client goes away."""
    sender = asyncio.ensure_future(body)
    watcher = asyncio.ensure_future(_wait_disconnect(receive))
    try:
        await asyncio.wait({sender, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sender, watcher):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        if sender.done() and not sender.cancelled():
            sender.result()
        else:
            with contextlib.suppress(asyncio.CancelledError, OSError):
                await sender


async def _wait_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _send_body(send: Send, fd: int, part: ByteRange) -> None:
    loop = asyncio.get_running_loop()
    position = part.start
    while position < part.end:
        want = min(CHUNK, part.end - position)
        chunk = await loop.run_in_executor(None, os.pread, fd, want, position)
        if not chunk:
            raise OSError("The file became shorter while it was being sent.")
        position += len(chunk)
        await send({"type": "http.response.body", "body": chunk, "more_body": position < part.end})
