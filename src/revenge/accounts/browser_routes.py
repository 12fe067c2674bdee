"""Sign-in for the web app: the refresh token in an HttpOnly cookie, never seen by script.

The same sign-in, refresh and sign-out as `auth_routes`, answering without the refresh token
in the body; it travels in `revenge_refresh` (HttpOnly, SameSite=Strict, Secure behind HTTPS,
sent only to these routes). Because a browser attaches that cookie by itself, the routes that
act on it are guarded against cross-site requests twice: an `Origin` that is not this server
is refused, and refresh and sign-out need the double-submit token: the `X-CSRF-Token` header
must equal the script-readable `revenge_csrf` cookie, which another site can neither read nor
set. Sign-in and the OIDC exchange take a JSON body, which no cross-site form can send.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Request, Response
from fastapi.types import DecoratedCallable
from pydantic import BaseModel

from revenge.accounts.auth_routes import login, refresh
from revenge.accounts.oidc_routes import BINDING_COOKIE, exchange_login_code
from revenge.accounts.oidc_routes import COOKIE_PATH as OIDC_PATH
from revenge.accounts.oidc_schemas import LoginCodeExchange
from revenge.accounts.schemas import LoginRequest, RefreshRequest, TokenResponse, UserOut
from revenge.api.deps import Client, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.errors import Forbidden, Unauthorized

router = APIRouter(tags=["auth"])

REFRESH_COOKIE = "revenge_refresh"
CSRF_COOKIE = "revenge_csrf"
CSRF_HEADER = "x-csrf-token"
REFRESH_PATH = "/api/v1/auth/browser"
# Long enough for any session policy; the server ends sessions itself (idle and absolute
# lifetimes), so a cookie that outlives its session is only refused.
COOKIE_MAX_AGE = 400 * 24 * 3600

_CROSS_SITE = "A request from another site is refused."
_CSRF = {403: f"{_CROSS_SITE} The `X-CSRF-Token` header must equal the `revenge_csrf` cookie."}


class BrowserSession(BaseModel):
    """The access token (keep it in memory only) and who signed in; no refresh token."""

    access_token: str
    token_type: str = "Bearer"
    session_id: str
    expires_at: datetime
    user: UserOut


def _same_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin is None:
        return  # not sent by older browsers on same-origin requests; SameSite still holds
    host = request.headers.get("host", "")
    if origin == "null" or origin.split("://", 1)[-1] != host:
        raise Forbidden(_CROSS_SITE)


def _double_submit(request: Request) -> None:
    _same_origin(request)
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), header.encode()):
        raise Forbidden(_CSRF[403])


def _with_cookies(request: Request, tokens: TokenResponse) -> Response:
    body = BrowserSession(
        access_token=tokens.access_token,
        session_id=str(tokens.session_id),
        expires_at=tokens.expires_at,
        user=tokens.user,
    )
    response = Response(body.model_dump_json(), media_type="application/json")
    response.headers["Cache-Control"] = "no-store"
    secure = request.url.scheme == "https"
    response.set_cookie(
        REFRESH_COOKIE,
        tokens.refresh_token,
        max_age=COOKIE_MAX_AGE,
        path=REFRESH_PATH,
        httponly=True,
        samesite="strict",
        secure=secure,
    )
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    response.set_cookie(
        CSRF_COOKIE, csrf, max_age=COOKIE_MAX_AGE, path="/", samesite="strict", secure=secure
    )
    return response


def _clear(response: Response) -> Response:
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_PATH, httponly=True, samesite="strict")
    response.delete_cookie(CSRF_COOKIE, path="/", samesite="strict")
    return response


def _starts_session(
    path: str, problems: dict[int, str]
) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """A POST route answering with a browser session (its refresh token set as a cookie)."""
    return router.post(path, response_model=BrowserSession, responses=problem_responses(problems))


@_starts_session(
    f"{REFRESH_PATH}/login",
    {
        401: "Wrong username or password (see POST /api/v1/auth/login).",
        403: _CROSS_SITE,
        429: "Too many failed sign-ins; retry after `Retry-After` seconds.",
    },
)
async def browser_login(
    body: LoginRequest, request: Request, runtime: RuntimeDep, client: Client
) -> Response:
    """Sign in from the web app: the refresh token is set as an HttpOnly cookie."""
    _same_origin(request)
    return _with_cookies(request, await login(body, runtime, client))


@_starts_session(
    f"{REFRESH_PATH}/refresh",
    {401: "No refresh cookie, or it is invalid, expired or used.", **_CSRF},
)
async def browser_refresh(request: Request, runtime: RuntimeDep, client: Client) -> Response:
    """A new access token from the refresh cookie (rotated on every use)."""
    _double_submit(request)
    token = request.cookies.get(REFRESH_COOKIE)
    if not token or len(token) > 200:
        raise Unauthorized("Not signed in: no refresh cookie.")
    return _with_cookies(
        request, await refresh(RefreshRequest(refresh_token=token), runtime, client)
    )


@router.post(f"{REFRESH_PATH}/logout", status_code=204, responses=problem_responses(_CSRF))
async def browser_logout(request: Request, runtime: RuntimeDep, client: Client) -> Response:
    """End the cookie's session and delete the cookies, even when the session had ended."""
    _double_submit(request)
    token = request.cookies.get(REFRESH_COOKIE)
    if token:
        async with runtime.db.transaction() as session:
            await runtime.accounts.sessions.end_by_refresh(session, token, client)
    return _clear(Response(status_code=204))


@_starts_session(
    f"{OIDC_PATH}/browser-exchange",
    {401: "The login code is invalid, expired, used, or from another browser.", 403: _CROSS_SITE},
)
async def browser_oidc_exchange(
    body: LoginCodeExchange, request: Request, runtime: RuntimeDep, client: Client
) -> Response:
    """Trade an OIDC login code for a web app session (refresh token as a cookie)."""
    _same_origin(request)
    response = _with_cookies(request, await exchange_login_code(body, request, runtime, client))
    response.delete_cookie(BINDING_COOKIE, path=OIDC_PATH)
    return response
