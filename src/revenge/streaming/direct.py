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
bytes, the next ranges are recognised from theirs before uvicorn parses them and decided by
the pass's same checks (`replays.Replay`, the connection's shortcut): half the CPU of a
one-byte range. When that gives a file and the answer has a body (200 or 206), it
writes the head itself and sends the bytes with sendfile on uvicorn's connection
(`answering`), and ends the response as uvicorn's `send` would (`zerocopy.Cycle`; for an
answer from the bytes, the protocol counts it and keeps the keep-alive timer): keep-alive,
pipelining and closing stay uvicorn's. What the request guard gives every response is kept:
the request id (the caller's, when it is clean), `X-Content-Type-Options`, the request
metrics under the route's template, and the log context.

Everything else goes on to the app as it came: another method or path, a request with a
body, any refusal or error (the routed path then answers it whole, with its problem document
and its log line), a conditional or unsatisfiable request (304, 416), and any server whose
`send` is not uvicorn's own.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from revenge.api.middleware import request_id_of
from revenge.infra.eager_http import CONNECTION, Connection, Shortcut, in_a_task
from revenge.infra.logs import request_id_var, user_id_var
from revenge.streaming import passes
from revenge.streaming.answering import Answering, head_of, send
from revenge.streaming.fast_routes import open_stream, recognised
from revenge.streaming.replays import Replay
from revenge.streaming.response import OpenFileResponse
from revenge.streaming.zerocopy import Cycle, Sending, ZeroCopyApp

if TYPE_CHECKING:
    from revenge.runtime import Runtime

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
        try:
            response = await self._decided(scope, receive, runtime, (file_id, token), cycle)
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
        cycle: Cycle,
    ) -> OpenFileResponse | None:
        """The file to send, by the connection's pass or else the routed path's checks."""
        connection = cycle.connection
        # Its bytes may give the next ranges a shortcut: not when the connection is to close.
        received = connection.received if connection and cycle.keep_alive else None
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
        if memo.request is None:
            return None
        sending = Sending(connection.transport, connection)
        return Replay(memo, memo.request, self.api.state.runtime, sending)


def _sent(
    response: OpenFileResponse,
    scope: Scope,
    sending: Sending,
    request_id: str,
    runtime: Runtime,
    started: float,
) -> Answering:
    """Send the file's answer to the request (see `Answering`): False, with nothing sent,
    for an answer without a body (the routed path gives those)."""
    try:
        answer = response.answer(scope)
        part = answer.part
        if part is None:
            return False
        head = head_of(answer, request_id, sending)
        record = (runtime.metrics, answer.status, started, request_id, response.filename)
        return send(sending, head, response.fd, part.start, part.length, record)
    finally:
        os.close(response.fd)


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


def over_uvicorn(api: ASGIApp) -> DirectStreams:
    """`api` as uvicorn serves it: zero-copy sends, and stream answers direct. Serve it with
    `http=eager_protocol(eligible)`."""
    return DirectStreams(ZeroCopyApp(api), api)
