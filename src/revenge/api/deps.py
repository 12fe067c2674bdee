"""FastAPI dependencies: runtime, database session (the request's transaction), principal.

Thin wrappers: who the caller is and what they may do is decided in `revenge.identity`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.auth import is_public
from revenge.errors import Unauthorized
from revenge.identity import ClientInfo, Principal
from revenge.identity.client import client_info
from revenge.identity.principal import require_admin, require_scope_for
from revenge.infra.logs import user_id_var

if TYPE_CHECKING:
    # The runtime is the composition root, above this layer: the alias below names it as a
    # string so that no feature reaches the root through `api.deps` at run time.
    from revenge.runtime import Runtime


# Dependencies are `async def` even when they never wait: FastAPI runs a plain `def`
# dependency in a worker thread, a thread hop on every request that uses it.
#
# The ones every request runs (principal, session, the router-wide guards) take the request
# and read the runtime from it rather than depending on `get_runtime`: FastAPI solves a
# dependency's own dependencies each time it appears, before it looks in its per-request
# cache, so every `RuntimeDep` below a shared dependency is one more solve per request.
def app_runtime(request: Request) -> Runtime:
    """The process's runtime, for code that is handed the request itself."""
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_runtime(request: Request) -> Runtime:
    # A coroutine: FastAPI would run a plain function in a worker thread on every request.
    return app_runtime(request)


RuntimeDep = Annotated["Runtime", Depends(get_runtime)]


async def db_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's transaction: committed when the handler returns, rolled back on error."""
    async with app_runtime(request).db.transaction() as session:
        yield session


# Function scope: the commit happens before the response is sent, so a client that got its
# answer (or anyone it tells, on any node) reads the change, and a failed commit is an error
# response rather than a success that never happened. FastAPI's default would commit after.
DbSession = Annotated[AsyncSession, Depends(db_session, scope="function")]


async def read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """For handlers that only read: no transaction, so no BEGIN and COMMIT round trips
    (`Database.reading`)."""
    async with app_runtime(request).db.reading() as session:
        yield session


ReadSession = Annotated[AsyncSession, Depends(read_session, scope="function")]


async def principal_of(request: Request, runtime: Runtime) -> Principal | None:
    """The caller, authenticated once per request and remembered on the request."""
    # The scope's state dict itself, which `request.state` wraps: building that wrapper was a
    # measurable part of a stream request.
    state = request.scope.setdefault("state", {})
    if "principal" not in state:
        principal = state["principal"] = await runtime.authenticator.authenticate(request)
        if principal is not None:
            user_id_var.set(str(principal.user_id))
    cached: Principal | None = state["principal"]
    return cached


async def optional_principal(request: Request) -> Principal | None:
    return await principal_of(request, app_runtime(request))


async def require_principal(request: Request) -> Principal | None:
    """Router-wide guard: credentials unless public; an access key's read/write scope."""
    # The principal is looked up here rather than declared as a dependency: the router-wide
    # guards each need it, and each declared one is one more dependency FastAPI solves.
    principal = await optional_principal(request)
    check_principal(request.method, route_template(request), principal)
    return principal


def route_template(request: Request) -> str:
    """The matched route's path template, else the request's path."""
    route = request.scope.get("route")
    # Not getattr(route, "path", request.url.path): that builds the URL on every request.
    return route.path if route is not None and hasattr(route, "path") else request.url.path


def check_principal(method: str, template: str, principal: Principal | None) -> None:
    """Credentials unless the route is public; an access key's read/write scope."""
    if principal is None and not is_public(method, template):
        raise Unauthorized()
    if principal is not None:
        require_scope_for(method, principal)


async def current_user(request: Request) -> Principal:
    # The principal is looked up here, not declared: one dependency fewer to solve.
    principal = await optional_principal(request)
    if principal is None:
        raise Unauthorized()
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]


async def admin_user(principal: CurrentUser) -> Principal:
    """Admin-only routes: identity.principal.require_admin."""
    return require_admin(principal)


AdminUser = Annotated[Principal, Depends(admin_user)]


async def request_client(request: Request, runtime: RuntimeDep) -> ClientInfo:
    """The caller's address (trusted proxies honoured) and user agent."""
    return client_info(request, runtime.settings.server.trusted_proxies)


Client = Annotated[ClientInfo, Depends(request_client)]
