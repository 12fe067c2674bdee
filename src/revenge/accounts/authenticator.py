"""The authenticator: session tokens and personal access keys, from headers only.

`Authorization: Bearer <token>` carries either a session token (`rvs_...`) or an access key
(`rvk_...`); `X-Api-Key: rvk_...` carries an access key. Query strings are never read here
(signed media tokens are checked by the media routes, see playback.signing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from revenge.accounts.access import Services
from revenge.accounts.two_factor import REQUIRE_FOR_ADMINS
from revenge.api.auth import Principal
from revenge.api.client import client_ip
from revenge.apikeys.access_keys import KEY_PREFIX

if TYPE_CHECKING:
    from revenge.server_settings.service import ServerSettingsService


def bearer_credential(request: Request) -> str | None:
    """The credential a request carries in its headers, if any."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        return value.strip() or None if scheme.lower() == "bearer" else None
    return request.headers.get("x-api-key") or None


class TokenAuthenticator:
    """Implements api.auth.Authenticator over the session and access key services."""

    def __init__(
        self, services: Services, trusted_proxies: list[str], settings: ServerSettingsService
    ) -> None:
        self._services = services
        self._proxies = trusted_proxies
        self._settings = settings

    async def authenticate(self, request: Request) -> Principal | None:
        credential = bearer_credential(request)
        if credential is None:
            return None
        return await self.authenticate_credential(credential, request)

    async def authenticate_credential(self, credential: str, request: Request) -> Principal | None:
        """The principal of a credential however it arrived (the protocol adapters read
        theirs from their own headers or query parameters)."""
        if credential.startswith(KEY_PREFIX):
            key = await self._services.access_keys.validate(credential)
            return key.principal() if key is not None else None
        found = await self._services.sessions.validate(
            credential, ip=client_ip(request, self._proxies)
        )
        if found is None:
            return None
        held = (
            found.role == "admin"
            and not found.second_factor
            and bool(await self._settings.get(REQUIRE_FOR_ADMINS))
        )
        return Principal(
            user_id=found.user_id,
            username=found.username,
            role=found.role,
            session_id=found.session_id,
            needs_second_factor=held,
        )
