"""A direct way in for `GET`/`HEAD /api/v1/stream/{file_id}`, ahead of FastAPI's router.

Players fetch a file as many range requests (often 1 MiB each), so the cost of one request
decides streaming throughput. Matching the path against every feature's routes and solving
the router's dependencies were most of the ~1.3 ms a request took through the full stack
(1-byte ranges over loopback; ~0.2 ms through this layer), more than sending 1 MiB with
sendfile. This ASGI layer recognises that one route and runs the very code the router would:
the same authenticator, the same public-route and access-key scope check, the same
maintenance guard, the route function itself, and the application's own exception handlers.
It sits inside `RequestGuardMiddleware` (request id, metrics, 500 handling stay). Anything it
does not recognise exactly (another path or method, an id that is not a canonical UUID, an
over-long token, a root path) goes on to the full stack, which gives its usual answer.
"""

from __future__ import annotations

import inspect
import uuid
from typing import TYPE_CHECKING

from fastapi.routing import APIRoute
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from revenge.api.deps import check_principal, principal_of
from revenge.server_settings.guard import refuse_in_maintenance
from revenge.streaming import routes
from revenge.streaming.signing import MAX_TOKEN_LENGTH

if TYPE_CHECKING:
    from revenge.runtime import Runtime

PREFIX = "/api/v1/stream/"
TEMPLATE = PREFIX + "{file_id}"
_METHODS = frozenset({"GET", "HEAD"})
_MAX_TOKEN = MAX_TOKEN_LENGTH  # as the route's `token` query parameter


def _stream_route() -> APIRoute:
    for route in routes.router.routes:
        if not isinstance(route, APIRoute) or route.path != TEMPLATE:
            continue
        if "GET" in (route.methods or set()):
            return route
    raise LookupError(TEMPLATE)


def _file_id(scope: Scope) -> uuid.UUID | None:
    """The file id of a request this layer handles, else None."""
    if scope["type"] != "http" or scope["method"] not in _METHODS or scope.get("root_path"):
        return None
    path: str = scope["path"]
    if not path.startswith(PREFIX) or len(path) != len(PREFIX) + 36:
        return None
    try:
        file_id = uuid.UUID(path[len(PREFIX) :])
    except ValueError:
        return None
    # Only the hyphenated form (any case): other forms the parser takes are the router's to judge.
    return file_id if str(file_id) == path[len(PREFIX) :].lower() else None


def _token(query: bytes) -> str | None:
    """The `token` query parameter, as the router would read it.

    A signed media URL carries exactly `token=<url-safe text>`: that form is taken as it is;
    anything else (more parameters, escapes) goes through the full query parser.
    """
    if query.startswith(b"token=") and query.isascii() and not any(c in query for c in b"&%+;"):
        return query[6:].decode("ascii")
    return QueryParams(query).get("token")


def recognised(scope: Scope) -> tuple[uuid.UUID, str | None] | None:
    """The file id and token of a stream request this layer handles, else None."""
    file_id = _file_id(scope)
    if file_id is None:
        return None
    token = _token(scope["query_string"])
    return None if token is not None and len(token) > _MAX_TOKEN else (file_id, token)


async def open_stream(request: Request, file_id: uuid.UUID, token: str | None) -> Response:
    """The routed path's answer to a stream request; raises what the route would raise."""
    runtime: Runtime = request.app.state.runtime
    principal = await principal_of(request, runtime)
    check_principal(request.method, TEMPLATE, principal)
    await refuse_in_maintenance(runtime, principal, TEMPLATE)
    return await routes.stream_file(file_id, runtime, principal, token)


class StreamFastPath:
    """Serves the stream route directly; everything else passes to `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.route = _stream_route()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = recognised(scope)
        if found is None:
            await self.app(scope, receive, send)
            return
        scope["route"] = self.route  # for metrics and anything else naming the route
        response = await self._respond(Request(scope, receive), *found)
        await response(scope, receive, send)

    async def _respond(self, request: Request, file_id: uuid.UUID, token: str | None) -> Response:
        try:
            return await open_stream(request, file_id, token)
        except Exception as exc:
            handled = await _handled(request, exc)
            if handled is None:
                raise
            return handled


async def _handled(request: Request, exc: Exception) -> Response | None:
    """The application's own answer to `exc`, as its exception middleware would give it.

    `Exception` itself is left out: like on the routed path, an unexpected error reaches
    `RequestGuardMiddleware`, which logs it with the request and answers 500.
    """
    handlers = request.app.exception_handlers
    for cls in type(exc).__mro__:
        if cls is Exception:
            return None
        handler = handlers.get(cls)
        if handler is not None:
            response = handler(request, exc)
            if inspect.isawaitable(response):
                response = await response
            assert isinstance(response, Response)
            return response
    return None
