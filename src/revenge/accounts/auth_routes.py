"""Sign-in with a password, token refresh and sign-out.

Sign-in and refresh own their transactions: a refusal is committed (failed-login counters,
audit rows, the revocation after a reused refresh token) before the error is returned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Response

from revenge.accounts.schemas import LoginRequest, RefreshRequest, TokenResponse, UserOut
from revenge.api.deps import Client, CurrentUser, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.errors import Unauthorized
from revenge.identity.client import DeviceInfo

if TYPE_CHECKING:
    from revenge.sessions.service import IssuedSession

router = APIRouter(tags=["auth"])


def token_response(issued: IssuedSession, user: UserOut) -> TokenResponse:
    return TokenResponse(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        session_id=issued.session.id,
        expires_at=issued.session.expires_at,
        user=user,
    )


@router.post(
    "/api/v1/auth/login",
    responses=problem_responses(
        {
            401: "Wrong username or password, or the account cannot sign in; with type"
            " `.../second-factor-required` (and `second_factor_required: true`), the password"
            " was right and `two_factor_code` is needed, or the one sent was wrong.",
            429: "Too many failed sign-ins; retry after `Retry-After` seconds.",
        }
    ),
)
async def login(body: LoginRequest, runtime: RuntimeDep, client: Client) -> TokenResponse:
    """Sign in with username and password; returns a session token and a refresh token."""
    device = DeviceInfo(body.device_id, body.device_name, body.client_name, body.client_version)
    async with runtime.db.transaction() as session:
        outcome = await runtime.accounts.logins.login(
            session, body.username, body.password, client, device, body.two_factor_code
        )
        if outcome.issued is not None and outcome.user is not None:
            return token_response(outcome.issued, UserOut.of(outcome.user))
    assert outcome.error is not None
    raise outcome.error


@router.post(
    "/api/v1/auth/refresh",
    responses=problem_responses({401: "The refresh token is invalid, expired or used."}),
)
async def refresh(body: RefreshRequest, runtime: RuntimeDep, client: Client) -> TokenResponse:
    """Rotate both tokens. Presenting an already used refresh token ends the session."""
    async with runtime.db.transaction() as session:
        issued = await runtime.accounts.sessions.refresh(session, body.refresh_token, client)
        if issued is not None:
            user = await runtime.accounts.users.get(session, issued.session.user_id)
            return token_response(issued, UserOut.of(user))
    raise Unauthorized("The refresh token is invalid, expired or already used.")


@router.post("/api/v1/auth/logout", status_code=204)
async def logout(
    principal: CurrentUser, runtime: RuntimeDep, session: DbSession, client: Client
) -> Response:
    """End the calling session (an access key is revoked through its own endpoint)."""
    if principal.session_id is not None:
        await runtime.accounts.sessions.invalidate(
            session, principal.session_id, user_id=principal.user_id, client=client
        )
    return Response(status_code=204)
