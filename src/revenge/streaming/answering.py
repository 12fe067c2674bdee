"""A file's answer written straight on a connection: its head, then its bytes (sendfile).

The head is written as uvicorn would write it, with what the request guard gives every
response (`X-Request-Id`, `X-Content-Type-Options`), and the answer is counted in the request
metrics under the stream route's template, as the guard counts a routed one. Nothing here
waits unless the socket does: an answer the socket takes at once costs no coroutine.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Coroutine
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from revenge.api.middleware import NOSNIFF
from revenge.infra.logs import request_id_var
from revenge.streaming.fast_routes import TEMPLATE
from revenge.streaming.response import Answer
from revenge.streaming.zerocopy import Sending

if TYPE_CHECKING:
    from revenge.infra.metrics import Metrics

log = logging.getLogger(__name__)

# A request's answer: True once sent, False where the routed path is to give it (nothing was
# sent), or what finishes sending it (True once done).
Answering = bool | Coroutine[Any, Any, bool]
# What an answer is counted and logged as: the metrics, its status, when its request began
# (`time.perf_counter`), its request id and the file's name.
Record = tuple["Metrics", int, float, str, str]

STATUS_LINES = {
    status: f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n".encode() for status in (200, 206)
}
_NOSNIFF = NOSNIFF[0] + b": " + NOSNIFF[1] + b"\r\n"
_RANGE_HEAD = b"%bcontent-range: bytes %d-%d/%d\r\ncontent-length: %d\r\nx-request-id: %b\r\n%b\r\n"


def send(
    sending: Sending, head: bytes, fd: int, offset: int, length: int, record: Record
) -> Answering:
    """Write `head`, then `length` bytes of `fd` from `offset` (see `Answering`, never False).
    The caller may close `fd` once this returns."""
    sending.start(head, length)
    try:
        rest = sending.send_now(fd, offset, length)
    except OSError as exc:
        _stopped(sending, record, exc)
        rest = None
    if rest is not None:
        return _finishing(rest, sending, record)
    _done(sending, record)
    return True


async def _finishing(rest: Awaitable[None], sending: Sending, record: Record) -> bool:
    try:
        await rest
    except OSError as exc:
        _stopped(sending, record, exc)
    _done(sending, record)
    return True


def _stopped(sending: Sending, record: Record, exc: OSError) -> None:
    """The client went away or the file shrank: the response cannot be finished."""
    ids = request_id_var.set(record[3])
    log.info("stream of %s stopped: %s", record[4], exc)
    request_id_var.reset(ids)
    sending.transport.close()


def _done(sending: Sending, record: Record) -> None:
    if not sending.transport.is_closing():
        sending.finish()
    metrics, status, started = record[:3]
    metrics.observe_http("GET", TEMPLATE, status, time.perf_counter() - started)


def head_of(answer: Answer, request_id: str, sending: Sending) -> bytes:
    """The response head, as uvicorn would write it, with the request guard's headers."""
    parts = [STATUS_LINES[answer.status], block(sending.default_headers), answer.file_block]
    for name, value in answer.range_headers:
        parts += (name, b": ", value, b"\r\n")
    parts += (b"x-request-id: ", request_id.encode("latin-1"), b"\r\n", _NOSNIFF)
    if not sending.keep_alive:
        parts.append(b"connection: close\r\n")
    parts.append(b"\r\n")
    return b"".join(parts)


def range_head(opening: bytes, first: int, end: int, size: int, request_id: str) -> bytes:
    """`head_of` a 206 answer on a kept-alive connection, from its `opening` (the status line,
    uvicorn's headers and the file's, as `head_of` writes them): bytes `first` to `end`
    (exclusive) of `size`."""
    rid = request_id.encode("latin-1")
    return _RANGE_HEAD % (opening, first, end - 1, size, end - first, rid, _NOSNIFF)


# uvicorn's headers for every response (`date`, `server`) as they stand in a head, and the
# list they were written from: uvicorn makes a new one each second.
_defaults: tuple[object, bytes] = (None, b"")


def block(headers: list[tuple[bytes, bytes]]) -> bytes:
    """uvicorn's `headers` for every response, as they stand in a head."""
    global _defaults
    if _defaults[0] is not headers:
        _defaults = (headers, b"".join(name + b": " + value + b"\r\n" for name, value in headers))
    return _defaults[1]
