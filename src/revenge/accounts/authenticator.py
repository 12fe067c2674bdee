"""The sign-in session backend of the authenticator (identity.authenticator).

A session of an administrator who signed in with a password alone, while the server requires
two factors for administrators, yields a principal held back from administrator actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from revenge.accounts.two_factor import REQUIRE_FOR_ADMINS
from revenge.identity import Principal
from revenge.identity.authenticator import TokenAuthenticator
from revenge.identity.tokens import SESSION_PREFIX

if TYPE_CHECKING:
    from revenge.server_settings.service import ServerSettingsService
    from revenge.sessions.service import SessionService
    from revenge.wiring.accounts import Services


class SessionBackend:
    """Session tokens (`rvs_...`) as a credential backend."""

    def __init__(self, sessions: SessionService, settings: ServerSettingsService) -> None:
        self._sessions = sessions
        self._settings = settings

    def accepts(self, credential: str) -> bool:
        return credential.startswith(SESSION_PREFIX)

    async def principal(self, credential: str, ip: str | None) -> Principal | None:
        found = await self._sessions.validate(credential, ip=ip)
        if found is None:
            return None
        held = (
            found.role == "admin"
            and not found.second_factor
            and bool(await self._settings.get(REQUIRE_FOR_ADMINS))
        )
        return found.caller(session_id=found.session_id, needs_second_factor=held)


def token_authenticator(
    services: Services, trusted_proxies: list[str], settings: ServerSettingsService
) -> TokenAuthenticator:
    """Access keys first (their prefix is theirs alone), then sign-in sessions; every
    principal carries its user's library scope."""
    backends = (services.access_keys, SessionBackend(services.sessions, settings))
    return TokenAuthenticator(backends, trusted_proxies, services.library_scopes.attach)
