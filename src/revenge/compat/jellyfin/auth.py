"""Who is calling: Jellyfin's token places, and sign-in by name.

A token is read from `X-Emby-Token`, `X-MediaBrowser-Token`, the `Token` of the
`Authorization: MediaBrowser ...` (or `Emby ...`) header, or the `ApiKey`/`api_key` query
parameter, and validated like a native bearer credential (a session token or a personal
access key). `Token="None"` (what clients send after a 401) is simply no valid token.
Sign-in goes through the native login service: the same brute-force limits, activity log
entries and sessions (named after the client's device) as the web app's sign-in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request

from revenge.errors import Unauthorized
from revenge.identity import Principal
from revenge.identity.client import client_info
from revenge.sessions.service import DeviceInfo

if TYPE_CHECKING:
    from revenge.accounts.models import User
    from revenge.runtime import Runtime
    from revenge.sessions.service import IssuedSession

_PAIR = re.compile(r'(\w+)="([^"]*)"')
_QUERY_KEYS = ("apikey", "api_key")


@dataclass(frozen=True)
class Client(DeviceInfo):
    """The `Authorization: MediaBrowser Client=..., Device=..., DeviceId=..., Version=...,
    Token=...` header: the device it names, and the caller's token."""

    token: str | None = None

    def device_info(self) -> DeviceInfo:
        return DeviceInfo(self.device_id, self.device_name, self.client_name, self.client_version)


def client_of(request: Request) -> Client:
    header = request.headers.get("x-emby-authorization") or request.headers.get("authorization")
    pairs: dict[str, str] = {}
    if header:
        scheme, _, rest = header.partition(" ")
        if scheme.lower() in ("mediabrowser", "emby"):
            pairs = {k.lower(): v[:200] for k, v in _PAIR.findall(rest[:4000])}
    return Client(
        pairs.get("deviceid"), pairs.get("device"), pairs.get("client"), pairs.get("version"),
        pairs.get("token"),
    )  # fmt: skip


def token_of(request: Request) -> str | None:
    """The caller's token, wherever a Jellyfin client put it."""
    for name in ("x-emby-token", "x-mediabrowser-token"):
        if request.headers.get(name):
            return request.headers[name]
    found = client_of(request).token
    if found:
        return found
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    for key, value in request.query_params.multi_items():
        if key.lower() in _QUERY_KEYS and value:
            return value
    return None


async def principal_of(runtime: Runtime, request: Request) -> Principal | None:
    """The caller, remembered on the request; None without a valid token."""
    state = request.scope.setdefault("state", {})
    if "principal" not in state:
        token = token_of(request)
        state["principal"] = (
            await runtime.authenticator.authenticate_credential(token[:512], request)
            if token
            else None
        )
    found: Principal | None = state["principal"]
    return found


async def sign_in(
    runtime: Runtime, request: Request, username: str, password: str
) -> tuple[IssuedSession, User]:
    """A new session for this name and password, or 401/429 as the native sign-in answers."""
    client = client_info(request, runtime.settings.server.trusted_proxies)
    device = client_of(request).device_info()
    async with runtime.db.transaction() as session:
        outcome = await runtime.accounts.logins.login(
            session, username[:200], password, client, device
        )
        if outcome.issued is not None and outcome.user is not None:
            return outcome.issued, outcome.user
    if outcome.error is None:  # pragma: no cover - the service always says why
        raise Unauthorized("Invalid username or password.")
    raise outcome.error
