"""The account services of one process (users, sessions, access keys, OIDC: several
features, so built here at the root), built once and kept on the Runtime."""

from __future__ import annotations

from typing import TYPE_CHECKING

from revenge.access_keys.service import AccessKeyService
from revenge.accounts import bruteforce
from revenge.accounts.app_passwords import AppPasswordService
from revenge.accounts.bruteforce import LoginLimiter
from revenge.accounts.login import LoginService
from revenge.accounts.passwords import Passwords
from revenge.accounts.service import UserService
from revenge.accounts.two_factor import TwoFactorService
from revenge.libraries import repository as libraries_repo
from revenge.libraries.scope import LibraryScopes
from revenge.sessions.service import SessionService

if TYPE_CHECKING:
    from revenge.accounts.oidc_service import OidcService
    from revenge.runtime import Runtime


class Services:
    """The account services, each built on those it needs (`build` adds OIDC and app
    passwords once the authenticator is installed)."""

    oidc: OidcService
    app_passwords: AppPasswordService

    def __init__(self, runtime: Runtime) -> None:
        settings = runtime.settings
        self.secrets = runtime.secrets
        self.passwords = Passwords(settings.auth)
        self.sessions = SessionService(runtime)
        self.access_keys = AccessKeyService(runtime)
        limiter = LoginLimiter(settings.redis_url, settings.cache.redis_prefix)
        self.two_factor = TwoFactorService(runtime, self.sessions)
        self.logins = LoginService(runtime, self.passwords, self.sessions, limiter, self.two_factor)
        self.library_scopes = LibraryScopes(runtime.cache, runtime.db)
        self.users = UserService(
            runtime,
            self.passwords,
            self.sessions,
            self.access_keys,
            libraries_repo,
            self.library_scopes,
        )

    async def close(self) -> None:
        await self.logins.limiter.close()


def build(runtime: Runtime) -> Services:
    """Build the services, install the authenticator and the cleanup steps."""
    from revenge.accounts.authenticator import token_authenticator
    from revenge.accounts.oidc_service import OidcService

    services = Services(runtime)
    runtime.authenticator = token_authenticator(
        services, runtime.settings.server.trusted_proxies, runtime.server_settings
    )
    services.oidc = OidcService(runtime, services.secrets, services.users)
    services.app_passwords = AppPasswordService(runtime)
    runtime.cleanup_steps.extend(
        [services.sessions.cleanup, bruteforce.cleanup, services.oidc.cleanup]
    )
    return services
