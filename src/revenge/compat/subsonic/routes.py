"""`/rest/<method>[.view]`: reads the parameters, authenticates, runs the method."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from fastapi import Path, Request
from starlette.responses import Response

from revenge.api.deps import RuntimeDep
from revenge.api.routing import FirstSegmentRouter
from revenge.compat.subsonic import annotation, browsing, media, playlists, podcasts  # noqa: F401
from revenge.compat.subsonic.auth import authenticate
from revenge.compat.subsonic.params import Params
from revenge.compat.subsonic.protocol import (
    GENERIC,
    NOT_AUTHORIZED,
    NOT_FOUND,
    SubsonicError,
    render,
    render_error,
)
from revenge.compat.subsonic.registry import METHODS, Ctx, Method
from revenge.errors import AppError, Forbidden, NotFound
from revenge.libraries.access import allowed_library_ids

if TYPE_CHECKING:
    from revenge.runtime import Runtime

router = FirstSegmentRouter(tags=["subsonic"])

MethodName = Path(max_length=100, description="A Subsonic method, with or without `.view`.")


async def read_params(request: Request) -> Params:
    items = list(request.query_params.multi_items())
    content_type = request.headers.get("content-type", "")
    if request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
        body = (await request.body()).decode("utf-8", "replace")
        items += parse_qsl(body, keep_blank_values=True)
    return Params(items)


# Not in Revenge's OpenAPI document: this is the OpenSubsonic protocol, specified by its own
# documents (any query parameter, any method name, answers always 200); it is fuzzed on its
# own in the Subsonic tests.
@router.get("/rest/{name}", response_class=Response, include_in_schema=False)
@router.post("/rest/{name}", response_class=Response, include_in_schema=False)
async def subsonic(request: Request, runtime: RuntimeDep, name: str = MethodName) -> Response:
    """Every OpenSubsonic method; authentication by `apiKey` or `u` with an app password."""
    params = await read_params(request)
    fmt = "json" if params.get("f") == "json" else "xml"
    try:
        found = METHODS.get(name.removesuffix(".view"))
        if found is None:
            raise SubsonicError(NOT_FOUND, f"Unknown method {name[:100]!r}.")
        result = await _run(runtime, request, params, found)
    except SubsonicError as exc:
        return render_error(exc, fmt)
    except AppError as exc:
        return render_error(_translate(exc), fmt)
    return result if isinstance(result, Response) else render(result, fmt)


async def _run(runtime: Runtime, request: Request, params: Params, found: Method) -> Any:
    if found.public:
        return await found.handler(Ctx(runtime, request, params, None, None, None))  # type: ignore[arg-type]
    principal = await authenticate(runtime, request, params)
    if principal.role != "admin" and await runtime.server_settings.get("maintenance.mode"):
        raise SubsonicError(GENERIC, "The server is in maintenance mode; try again later.")
    if found.write and "write" not in principal.scopes:
        raise SubsonicError(NOT_AUTHORIZED, "This API key cannot change anything.")
    if not found.transaction:
        return await found.handler(Ctx(runtime, request, params, principal, None, None))  # type: ignore[arg-type]
    opened = runtime.db.transaction() if found.write else runtime.db.reading()
    async with opened as session:
        allowed = await allowed_library_ids(session, principal)
        return await found.handler(Ctx(runtime, request, params, principal, session, allowed))


def _translate(exc: AppError) -> SubsonicError:
    if isinstance(exc, NotFound):
        return SubsonicError(NOT_FOUND, exc.detail)
    if isinstance(exc, Forbidden):
        return SubsonicError(NOT_AUTHORIZED, exc.detail)
    return SubsonicError(GENERIC, exc.detail)
