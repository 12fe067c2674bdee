"""OIDC: admin management of providers, and the public sign-in endpoints."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from revenge.accounts.auth_routes import token_response
from revenge.accounts.oidc_schemas import (
    LoginCodeExchange,
    ProviderCreate,
    ProviderName,
    ProviderOut,
    ProviderUpdate,
)
from revenge.accounts.schemas import TokenResponse, UserOut
from revenge.api.deps import AdminUser, Client, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.errors import BadRequest, Unauthorized
from revenge.identity.client import ClientInfo, DeviceInfo

if TYPE_CHECKING:
    from revenge.runtime import Runtime

router = APIRouter(tags=["oidc"])

BINDING_COOKIE = "revenge_oidc"
COOKIE_PATH = "/api/v1/auth/oidc"


@router.get("/api/v1/admin/oidc-providers")
async def list_providers(
    _: AdminUser, runtime: RuntimeDep, session: DbSession
) -> list[ProviderOut]:
    providers = await runtime.accounts.oidc.providers(session, enabled_only=False)
    return [ProviderOut.of(p) for p in providers]


@router.post(
    "/api/v1/admin/oidc-providers",
    status_code=201,
    responses=problem_responses({409: "A provider with this name exists."}),
)
async def create_provider(
    body: ProviderCreate, _: AdminUser, runtime: RuntimeDep, session: DbSession
) -> ProviderOut:
    changes = body.model_dump(exclude_unset=True, exclude={"name"})
    return ProviderOut.of(
        await runtime.accounts.oidc.create_provider(
            session, body.name, body.issuer, body.client_id, changes
        )
    )


@router.get("/api/v1/admin/oidc-providers/{provider_id}")
async def read_provider(
    provider_id: uuid.UUID, _: AdminUser, runtime: RuntimeDep, session: DbSession
) -> ProviderOut:
    return ProviderOut.of(await runtime.accounts.oidc.provider(session, provider_id))


@router.patch(
    "/api/v1/admin/oidc-providers/{provider_id}",
    responses=problem_responses({409: "The change conflicts with another provider."}),
)
async def update_provider(
    provider_id: uuid.UUID,
    body: ProviderUpdate,
    _: AdminUser,
    runtime: RuntimeDep,
    session: DbSession,
) -> ProviderOut:
    changes = body.model_dump(exclude_unset=True)
    return ProviderOut.of(
        await runtime.accounts.oidc.update_provider(session, provider_id, changes)
    )


@router.delete("/api/v1/admin/oidc-providers/{provider_id}", status_code=204)
async def delete_provider(
    provider_id: uuid.UUID, _: AdminUser, runtime: RuntimeDep, session: DbSession
) -> Response:
    await runtime.accounts.oidc.delete_provider(session, provider_id)
    return Response(status_code=204)


@router.get("/api/v1/auth/oidc/providers")
async def enabled_providers(runtime: RuntimeDep, session: DbSession) -> list[ProviderName]:
    """Providers offered on the sign-in page."""
    providers = await runtime.accounts.oidc.providers(session, enabled_only=True)
    return [ProviderName(name=p.name) for p in providers]


_UNREACHABLE = "The identity provider could not be reached or answered nonsense."
# A path on this server: one leading slash, never `//host` or a backslash (open redirects).
_LOCAL_PATH = r"^/([^/\\][^\\]*)?$"


@router.get(
    "/api/v1/auth/oidc/{name}/login",
    response_class=RedirectResponse,
    status_code=302,
    responses=problem_responses(
        {404: "No enabled identity provider has this name.", 502: _UNREACHABLE}
    ),
)
async def oidc_login(
    name: str,
    request: Request,
    runtime: RuntimeDep,
    session: DbSession,
    return_to: str = Query(
        "/", max_length=500, pattern=_LOCAL_PATH, description="A path on this server."
    ),
) -> RedirectResponse:
    """Start a sign-in: redirect to the provider, binding the flow to this browser."""
    redirect_uri = str(request.url_for("oidc_callback"))
    url, binding = await runtime.accounts.oidc.begin(session, name, redirect_uri, return_to)
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(
        BINDING_COOKIE,
        binding,
        max_age=600,
        path=COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.get(
    "/api/v1/auth/oidc/callback",
    name="oidc_callback",
    status_code=303,
    responses=problem_responses(
        {
            400: "The sign-in state is unknown, expired, used, or from another browser.",
            401: "The identity provider refused or did not confirm the sign-in.",
            403: "No account is linked to this identity.",
            502: _UNREACHABLE,
        }
    ),
)
async def oidc_callback(
    request: Request,
    runtime: RuntimeDep,
    state: str = Query("", max_length=200),
    code: str = Query("", max_length=2000),
    error: str | None = Query(None, max_length=200),
) -> RedirectResponse:
    """The provider's redirect: verify everything, then hand the web app a one-time code."""
    async with runtime.db.transaction() as session:
        flow = await runtime.accounts.oidc.take_state(session, state) if state else None
    if flow is None:
        raise BadRequest("Unknown, expired or already used sign-in state.")
    if error or not code:
        raise Unauthorized(f"The identity provider refused the sign-in: {error or 'no code'}.")
    async with runtime.db.transaction() as session:
        login_code, return_to = await runtime.accounts.oidc.complete(
            session, flow, code, request.cookies.get(BINDING_COOKIE)
        )
    # The code travels in the fragment: never sent to a server, single use, 60 seconds.
    return RedirectResponse(f"{return_to}#login_code={login_code}", status_code=303)


@router.post(
    "/api/v1/auth/oidc/exchange",
    response_model=TokenResponse,
    responses=problem_responses(
        {401: "The login code is invalid, expired, used, or from another browser."}
    ),
)
async def oidc_exchange(
    body: LoginCodeExchange, request: Request, runtime: RuntimeDep, client: Client
) -> Response:
    """Trade the one-time login code (plus the browser's binding cookie) for session tokens."""
    payload = await exchange_login_code(body, request, runtime, client)
    response = Response(payload.model_dump_json(), media_type="application/json")
    response.delete_cookie(BINDING_COOKIE, path=COOKIE_PATH)
    return response


async def exchange_login_code(
    body: LoginCodeExchange, request: Request, runtime: Runtime, client: ClientInfo
) -> TokenResponse:
    """The session a login code opens (also for the web app's cookie variant)."""
    async with runtime.db.transaction() as session:
        flow = await runtime.accounts.oidc.take_login(session, body.login_code)
    if flow is None:
        raise Unauthorized("The login code is invalid, expired or already used.")
    device = DeviceInfo(body.device_id, body.device_name, body.client_name, body.client_version)
    async with runtime.db.transaction() as session:
        user = await runtime.accounts.oidc.user_for_login(
            session, flow, request.cookies.get(BINDING_COOKIE)
        )
        issued = await runtime.accounts.logins.sign_in(session, user, client, device, method="oidc")
        return token_response(issued, UserOut.of(user))
