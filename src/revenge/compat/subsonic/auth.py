"""Who is calling the Subsonic API: an API key, or a user name with an app password.

- `apiKey` (OpenSubsonic extension, without `u`): a personal access key (code 44 if invalid).
- `u` + `t` + `s`: `t = md5(app password + salt)`; a user without app passwords gets 41.
- `u` + `p` (or `p=enc:<hex>`): an app password sent as is, only over HTTPS or when the
  `subsonic.plain_passwords` setting is on (42 otherwise).

Failures count against the account and the address in the same limiter as native sign-ins
and are written to the activity log; a success is logged once an hour per user and client.
"""

from __future__ import annotations

import binascii
from typing import TYPE_CHECKING

from cachetools import TTLCache
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from revenge.accounts.audit import record_auth
from revenge.accounts.bruteforce import account_key
from revenge.compat.subsonic.params import Params
from revenge.compat.subsonic.protocol import (
    AUTH_MECHANISM_NOT_SUPPORTED,
    CONFLICTING_AUTH,
    INVALID_API_KEY,
    MISSING_PARAMETER,
    TOKEN_AUTH_NOT_SUPPORTED,
    WRONG_CREDENTIALS,
    SubsonicError,
)
from revenge.identity import ALL_SCOPES, Principal
from revenge.identity.client import ClientInfo, client_info

if TYPE_CHECKING:
    from revenge.runtime import Runtime

_LOGGED: TTLCache[tuple[str, str, str], bool] = TTLCache(10_000, 3600)
API_KEY_ACCOUNT = "(subsonic api key)"


def _is_https(request: Request, runtime: Runtime) -> bool:
    if request.url.scheme == "https":
        return True
    # A proxy's word counts only when the peer is a trusted proxy (then the address differs).
    info = client_info(request, runtime.settings.server.trusted_proxies)
    peer = request.client.host if request.client else None
    forwarded = request.headers.get("x-forwarded-proto", "").lower() == "https"
    return forwarded and info.ip != peer


def _plain(raw: str) -> str:
    if raw.startswith("enc:"):
        try:
            return binascii.unhexlify(raw[4:]).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return ""
    return raw


async def authenticate(runtime: Runtime, request: Request, params: Params) -> Principal:
    """The caller, or SubsonicError with the spec's code."""
    client = client_info(request, runtime.settings.server.trusted_proxies)
    api_key, username = params.get("apiKey"), params.get("u")
    if api_key is not None and username is not None:
        raise SubsonicError(CONFLICTING_AUTH, "Send either apiKey or u, not both.")
    if api_key is not None:
        return await _by_api_key(runtime, api_key, client, params)
    if not username:
        raise SubsonicError(MISSING_PARAMETER, "Required parameter 'u' or 'apiKey' is missing.")
    async with runtime.db.transaction() as session:
        return await _by_app_password(runtime, session, request, params, username, client)


async def _by_api_key(
    runtime: Runtime, api_key: str, client: ClientInfo, params: Params
) -> Principal:
    found = await runtime.accounts.access_keys.validate(api_key)
    if found is None:
        async with runtime.db.transaction() as session:
            await _refuse(runtime, session, API_KEY_ACCOUNT, client, "bad_api_key", None)
        raise SubsonicError(INVALID_API_KEY, "Invalid API key.")
    principal = await runtime.accounts.library_scopes.attach(found.principal())
    _log_success(runtime, principal, client, params, "api_key")
    return principal


async def _by_app_password(
    runtime: Runtime, session: AsyncSession, request: Request, params: Params, username: str,
    client: ClientInfo,
) -> Principal:  # fmt: skip
    service = runtime.accounts.app_passwords
    limiter = runtime.accounts.logins.limiter
    account = account_key(username)
    if await limiter.retry_after(session, account, client.ip) is not None:
        await _audit(runtime, session, None, account, client, "rate_limited")
        raise SubsonicError(WRONG_CREDENTIALS, "Too many failed sign-ins; try again later.")
    user = await service.user_by_name(session, username)
    token, salt, password = params.get("t"), params.get("s"), params.get("p")
    if token is not None and salt is not None:
        if user is not None and not await service.has_any(session, user.id):
            raise SubsonicError(
                TOKEN_AUTH_NOT_SUPPORTED,
                "Token authentication needs an app password; create one in your account.",
            )
        verified = await service.verify_token(session, user, token, salt) if user else None
    elif password is not None:
        if not (_is_https(request, runtime) or await _plain_allowed(runtime)):
            raise SubsonicError(
                AUTH_MECHANISM_NOT_SUPPORTED, "Plain passwords are accepted only over HTTPS."
            )
        verified = await service.verify_plain(session, user, _plain(password)) if user else None
    else:
        raise SubsonicError(MISSING_PARAMETER, "Required parameter 't' and 's', or 'p', missing.")
    if verified is None or user is None:
        await _refuse(runtime, session, account, client, "bad_password", user)
        raise SubsonicError(WRONG_CREDENTIALS, "Wrong username or password.")
    principal = Principal(user.id, user.username, user.role, scopes=ALL_SCOPES)
    principal = await runtime.accounts.library_scopes.attach(principal)
    _log_success(runtime, principal, client, params, "app_password")
    return principal


async def _plain_allowed(runtime: Runtime) -> bool:
    return bool(await runtime.server_settings.get("subsonic.plain_passwords"))


async def _refuse(
    runtime: Runtime, session: AsyncSession, account: str, client: ClientInfo, reason: str,
    user: object,
) -> None:  # fmt: skip
    await runtime.accounts.logins.limiter.record_failure(session, account, client.ip)
    await _audit(runtime, session, getattr(user, "id", None), account, client, reason)


async def _audit(
    runtime: Runtime, session: AsyncSession, user_id: object, account: str, client: ClientInfo,
    reason: str,
) -> None:  # fmt: skip
    await record_auth(
        runtime, session, "login_failed", user_id=user_id, client=client,  # type: ignore[arg-type]
        details={"username": account, "reason": reason, "method": "subsonic"},
        success=False, error=reason,
    )  # fmt: skip


def _log_success(
    runtime: Runtime, principal: Principal, client: ClientInfo, params: Params, method: str
) -> None:
    app = (params.get("c") or "")[:100]
    key = (str(principal.user_id), app, client.ip or "")
    if key in _LOGGED:
        return
    _LOGGED[key] = True
    runtime.activity.log(
        "auth", "login", user_id=principal.user_id, details={"method": f"subsonic:{method}",
        "client": app}, ip_address=client.ip, user_agent=client.user_agent,
    )  # fmt: skip
