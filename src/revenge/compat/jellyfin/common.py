"""The Jellyfin router, its case-insensitive routes, the token guard, and the request context."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.auth import is_public
from revenge.api.deps import app_runtime, check_principal
from revenge.compat.jellyfin.auth import principal_of
from revenge.compat.jellyfin.params import Query
from revenge.errors import BadRequest, Unauthorized
from revenge.identity import Principal
from revenge.libraries.access import allowed_library_ids
from revenge.runtime import Runtime
from revenge.server_settings.guard import refuse_in_maintenance


async def guard(request: Request) -> None:
    """A valid token unless the route is on the public list (Jellyfin's own public ones);
    during maintenance, administrators only (sign-in and discovery stay open)."""
    runtime: Runtime = request.app.state.runtime
    principal = await principal_of(runtime, request)
    template = getattr(request.scope.get("route"), "path", request.url.path)
    check_principal(request.method, template, principal)
    if not is_public(request.method, template):
        await refuse_in_maintenance(runtime, principal, template)


# Not in Revenge's OpenAPI document: this is Jellyfin's API, documented by Jellyfin.
# Paths match without regard to case through `paths.JellyfinPaths`.
router = APIRouter(include_in_schema=False, tags=["jellyfin"], dependencies=[Depends(guard)])


def server_id(runtime: Runtime) -> str:
    """This server's stable id: from the oldest secret key's id, the same on every node."""
    seed = runtime.secrets.key_ids[-1]
    return uuid.uuid5(uuid.NAMESPACE_URL, f"revenge:{seed}").hex


@dataclass
class Ctx:
    runtime: Runtime
    request: Request
    q: Query
    principal: Principal
    session: AsyncSession
    allowed: set[uuid.UUID] | None
    server: str

    @property
    def user_id(self) -> uuid.UUID:
        return self.principal.user_id


@asynccontextmanager
async def context(request: Request) -> AsyncIterator[Ctx]:
    """The caller's context in one transaction (committed when the block ends)."""
    runtime = app_runtime(request)
    principal = await principal_of(runtime, request)
    if principal is None:
        raise Unauthorized()
    async with runtime.db.transaction() as session:
        allowed = await allowed_library_ids(session, principal)
        yield Ctx(runtime, request, Query(request), principal, session, allowed, server_id(runtime))


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object with its keys in lower case (clients vary the case); no
    body or another JSON value is an empty one."""
    try:
        body = json.loads(await request.body() or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The body must be JSON.") from None
    return {str(k).lower(): v for k, v in body.items()} if isinstance(body, dict) else {}
