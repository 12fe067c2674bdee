"""The media routes' caller: header credentials, or a signed media token in the query.

See streaming.signing for the tokens; list each such route in `api.auth.PUBLIC_ROUTES`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Query, Request

from revenge.api.deps import RuntimeDep, optional_principal
from revenge.identity import Principal
from revenge.streaming.signing import MAX_TOKEN_LENGTH, MediaCaller, resolve_caller

MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]
TokenParam = Annotated[
    str | None,
    Query(max_length=MAX_TOKEN_LENGTH, description="A signed media token (from a media URL)."),
]


def media_access(kind: str, param: str) -> Callable[..., Awaitable[MediaCaller]]:
    """A dependency: the caller of a route whose path parameter `param` names a `kind` scope.

    E.g. `Depends(media_access("file", "file_id"))` accepts credentials in headers or a token
    issued for `file:<file_id>`. List the route in `api.auth.PUBLIC_ROUTES`.
    """

    async def dependency(
        request: Request, runtime: RuntimeDep, principal: MaybePrincipal, token: TokenParam = None
    ) -> MediaCaller:
        scope = f"{kind}:{request.path_params.get(param, '')}"
        return await resolve_caller(runtime, principal, token, scope)

    return dependency


FileCaller = Annotated[MediaCaller, Depends(media_access("file", "file_id"))]
