"""Stream answers written straight on uvicorn's connection, past the ASGI stack.

A player fetches a film as hundreds of range requests on one connection, so the fixed cost
of a request sets the rate. A one-byte range cost about 130 us inside the app: 22 us in
the middleware stack, 32 us of checks and 62 us building and sending the answer through
four wrapped `send`s, Starlette's response and uvicorn's header checks.

For a `GET /api/v1/stream/{file_id}` (as `fast_routes.recognised` takes it, without a body)
this layer runs the very checks of the routed path (`fast_routes.open_stream`: the
authenticator, the access-key scope, the maintenance guard, the route function with its
confinement), or, for the next ranges of the same media URL on the connection, decides as
they would with the connection's stream pass (`passes`). Where the pass knows its request's
bytes, the next ranges are recognised from theirs before uvicorn parses them
(`Connection.shortcut`, `_replayed`) and decided by the pass's same checks: a third less CPU
for a one-byte range. When that gives a file and the answer has a body (200 or 206), it
writes the head itself, sends the bytes with sendfile on uvicorn's connection and ends the
response as uvicorn's `send` would (`zerocopy.Cycle`; for an answer from the bytes, the
protocol counts it and arms the keep-alive timer): keep-alive, pipelining and closing stay
uvicorn's. What the request guard gives every response is kept: the request id (the
caller's, when it is clean), `X-Content-Type-Options`, the request metrics under the route's
template, and the log context.

Everything else goes on to the app as it came: another method or path, a request with a
body, any refusal or error (the routed path then answers it whole, with its problem document
and its log line), a conditional or unsatisfiable request (304, 416), and any server whose
`send` is not uvicorn's own.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Coroutine
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from revenge.api.middleware import NOSNIFF, request_id_of
from revenge.infra.eager_http import CONNECTION, Connection, Shortcut, in_a_task
from revenge.infra.logs import request_id_var, user_id_var
from revenge.server_settings.guard import refused_in_maintenance_now
from revenge.streaming import passes
from revenge.streaming.fast_routes import TEMPLATE, open_stream, recognised
from revenge.streaming.response import Answer, OpenFileResponse
from revenge.streaming.zerocopy import Cycle, Sending, ZeroCopyApp

if TYPE_CHECKING:
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)

_STATUS_LINES = {
    status: f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n".encode() for status in (200, 206)
}
_BODY_HEADERS = frozenset({b"content-length", b"transfer-encoding"})


class DirectStreams:
    """Answers stream requests for a file's bytes on the connection; the rest goes to `app`.

    `api` is the application whose state (runtime, metrics) and exception handlers the
    checks use, as they would inside it.
    """

    def __init__(self, app: ASGIApp, api: Any) -> None:
        self.app = app
        self.api = api

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = _direct_request(scope)
        cycle = Cycle.of(send, scope.get(CONNECTION)) if found is not None else None
        if found is None or cycle is None:
            await self.app(scope, receive, send)
            return
        file_id, token, raw_id = found
        request_id = request_id_of(raw_id)
        ids = request_id_var.set(request_id), user_id_var.set(None)
        try:
            if not await self._answered(scope, receive, cycle, request_id, file_id, token):
                # The app authenticates afresh, in its own context (its log lines name the user).
                scope.get("state", {}).pop("principal", None)
                await in_a_task()  # the app's dependencies need one (`eligible`)
                await self.app(scope, receive, send)
        finally:
            user_id_var.reset(ids[1])
            request_id_var.reset(ids[0])

    async def _answered(
        self,
        scope: Scope,
        receive: Receive,
        cycle: Cycle,
        request_id: str,
        file_id: uuid.UUID,
        token: str | None,
    ) -> bool:
        """Answer the request with the file and True, or leave it untouched and False."""
        started = time.perf_counter()
        scope["app"] = self.api
        runtime: Runtime = self.api.state.runtime
        connection: Connection | None = scope.get(CONNECTION)
        # Its bytes may give the next ranges a shortcut: not when the connection is to close.
        received = connection.received if connection and cycle.keep_alive else None
        try:
            response = await self._decided(scope, receive, runtime, (file_id, token), received)
        except Exception:  # refused or failed: the routed path answers it whole
            return False
        if response is None:
            return False
        answering = _sent(response, scope, cycle, request_id, runtime, started)
        return answering if isinstance(answering, bool) else await answering

    async def _decided(
        self,
        scope: Scope,
        receive: Receive,
        runtime: Runtime,
        found: tuple[uuid.UUID, str | None],
        received: bytes | None,
    ) -> OpenFileResponse | None:
        """The file to send, by the connection's pass or else the routed path's checks."""
        connection: Connection | None = scope.get(CONNECTION)
        again = passes.answer(scope, runtime)
        if again is not None:
            memo = connection.memo if connection else None
            if isinstance(memo, passes.StreamPass) and memo.request is None and received:
                # A pass made from a request without bytes of the players' form (the whole
                # file, first): this one may have them.
                self._keep(connection, passes.with_request(memo, received, scope))
            return again
        response = await open_stream(Request(scope, receive), *found)
        if not isinstance(response, OpenFileResponse):
            return None
        self._keep(connection, passes.issue(scope, runtime, found, response, received))
        return response

    def _keep(self, connection: Connection | None, memo: passes.StreamPass | None) -> None:
        """Keep `memo` as the connection's pass, and its shortcut, if it has one."""
        if connection is not None:
            connection.memo = memo
            connection.shortcut = self._shortcut(connection, memo) if memo else None

    def _shortcut(self, connection: Connection, memo: passes.StreamPass) -> Shortcut | None:
        """The connection's way to the next ranges of the pass's request, from their bytes."""
        request, sending = memo.request, Sending(connection.transport, connection)
        if request is None:
            return None

        def shortcut(data: bytes) -> Answering:
            asked = request.range_of(data)
            return False if asked is None else self._replayed(memo, asked, sending)

        return shortcut

    def _replayed(self, memo: passes.StreamPass, asked: bytes, sending: Sending) -> Answering:
        """Answer the next range of the pass's request, as `passes.answer` would (True, or
        what finishes the answer); or False, and uvicorn parses the request for the routed
        path. Nothing here waits but for settings loaded again (changed, or old): a request
        costs no coroutine until its answer must."""
        runtime: Runtime = self.api.state.runtime
        if refused_in_maintenance_now(runtime, TEMPLATE) is None:
            return self._replayed_once_known(runtime, memo, asked, sending)
        return self._replayed_now(runtime, memo, asked, sending)

    async def _replayed_once_known(
        self, runtime: Runtime, memo: passes.StreamPass, asked: bytes, sending: Sending
    ) -> bool:
        await runtime.server_settings.get("maintenance.mode")
        answering = self._replayed_now(runtime, memo, asked, sending)
        return answering if isinstance(answering, bool) else await answering

    def _replayed_now(
        self, runtime: Runtime, memo: passes.StreamPass, asked: bytes, sending: Sending
    ) -> Answering:
        started = time.perf_counter()
        response = passes.reopened(memo, runtime)
        if response is None:
            return False
        request = {"method": "GET", "headers": [(b"range", asked)]}
        return _sent(response, request, sending, request_id_of(None), runtime, started)


# A request's answer: True once sent, False where the routed path is to give it, or what
# finishes sending it (True once done).
Answering = bool | Coroutine[Any, Any, bool]


def _sent(
    response: OpenFileResponse,
    request: Scope,
    sending: Sending,
    request_id: str,
    runtime: Runtime,
    started: float,
) -> Answering:
    """Send the file's answer to `request` (see `Answering`): False, with nothing sent, for
    an answer without a body (the routed path gives those). Owns `response.fd`."""
    answer = response.answer(request)
    part = answer.part
    if part is None:
        os.close(response.fd)
        return False
    sending.start(_head(answer, request_id, sending), part.length)
    try:
        rest = sending.send_now(response.fd, part.start, part.length)
    except OSError as exc:
        _stopped(response, sending, request_id, exc)
        rest = None
    if rest is not None:
        return _sending(rest, response, answer, sending, (request_id, runtime, started))
    _done(response, answer, sending, runtime, started)
    return True


async def _sending(
    rest: Coroutine[Any, Any, None],
    response: OpenFileResponse,
    answer: Answer,
    sending: Sending,
    of: tuple[str, Runtime, float],
) -> bool:
    """Send the rest of an answer `_sent` began; `of`: its request id, runtime and start."""
    try:
        await rest
    except OSError as exc:
        _stopped(response, sending, of[0], exc)
    _done(response, answer, sending, *of[1:])
    return True


def _stopped(response: OpenFileResponse, sending: Sending, request_id: str, exc: OSError) -> None:
    """The client went away or the file shrank: the response cannot be finished."""
    ids = request_id_var.set(request_id)
    log.info("stream of %s stopped: %s", response.filename, exc)
    request_id_var.reset(ids)
    sending.transport.close()


def _done(
    response: OpenFileResponse, answer: Answer, sending: Sending, runtime: Runtime, started: float
) -> None:
    os.close(response.fd)
    if not sending.transport.is_closing():
        sending.finish()
    seconds = time.perf_counter() - started
    runtime.metrics.observe_http("GET", TEMPLATE, answer.status, seconds)


def eligible(scope: Scope) -> bool:
    """Whether a request may start eagerly (`infra.eager_http`): the stream requests this
    layer answers, whose checks wait on nothing once their caches are warm."""
    return _direct_request(scope) is not None


_Found = tuple[uuid.UUID, str | None, bytes | None]
# Where `_direct_request` keeps its finding in the scope: the protocol asks (`eligible`) and
# then this layer does, for the same request, and parsing it twice was a hot path's work.
_FOUND = "revenge.direct_request"


def _direct_request(scope: Scope) -> _Found | None:
    """The file id, token and `X-Request-Id` of a bodiless stream GET, else None."""
    if _FOUND not in scope:
        scope[_FOUND] = _find_direct_request(scope)
    found: _Found | None = scope[_FOUND]
    return found


def _find_direct_request(scope: Scope) -> _Found | None:
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    found = passes.target(scope) or recognised(scope)
    if found is None:
        return None
    raw_id: bytes | None = None
    for name, value in scope["headers"]:
        if name in _BODY_HEADERS and value != b"0":
            return None  # a body: the app's limits and answers apply
        if name == b"x-request-id" and raw_id is None:
            raw_id = value
    return (*found, raw_id)


def _head(answer: Answer, request_id: str, cycle: Sending) -> bytes:
    """The response head, as uvicorn would write it, with the request guard's headers."""
    parts = [_STATUS_LINES[answer.status], _block(cycle.default_headers), answer.file_block]
    for name, value in answer.range_headers:
        parts += (name, b": ", value, b"\r\n")
    parts += (b"x-request-id: ", request_id.encode("latin-1"), b"\r\n")
    parts += (NOSNIFF[0], b": ", NOSNIFF[1], b"\r\n")
    if not cycle.keep_alive:
        parts.append(b"connection: close\r\n")
    parts.append(b"\r\n")
    return b"".join(parts)


# uvicorn's headers for every response (`date`, `server`) as they stand in a head, and the
# list they were written from: uvicorn makes a new one each second.
_defaults: tuple[object, bytes] = (None, b"")


def _block(headers: list[tuple[bytes, bytes]]) -> bytes:
    global _defaults
    if _defaults[0] is not headers:
        _defaults = (headers, b"".join(name + b": " + value + b"\r\n" for name, value in headers))
    return _defaults[1]


def over_uvicorn(api: ASGIApp) -> DirectStreams:
    """`api` as uvicorn serves it: zero-copy sends, and stream answers direct. Serve it with
    `http=eager_protocol(eligible)`."""
    return DirectStreams(ZeroCopyApp(api), api)
