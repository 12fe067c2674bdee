"""The account services of one process (users, sessions, access keys, OIDC: several
features, so built here at the root), built once and kept on the Runtime."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from revenge.access_keys.service import AccessKeyService
from revenge.accounts import bruteforce
from revenge.accounts.app_passwords import AppPasswordService
from revenge.accounts.bruteforce import LoginLimiter
from revenge.accounts.login import LoginService
from revenge.accounts.passwords import Passwords
from revenge.accounts.service import UserService
from revenge.accounts.two_factor import TwoFactorService
from revenge.infra.secrets import SecretBox
from revenge.libraries import repository as libraries_repo
from revenge.libraries.scope import LibraryScopes
from revenge.sessions.service import SessionService

if TYPE_CHECKING:
    from revenge.accounts.oidc_service import OidcService
    from revenge.runtime import Runtime


@dataclass
class Services:
    secrets: SecretBox
    passwords: Passwords
    sessions: SessionService
    access_keys: AccessKeyService
    users: UserService
    logins: LoginService
    two_factor: TwoFactorService
    library_scopes: LibraryScopes
    oidc: OidcService = field(init=False)
    app_passwords: AppPasswordService = field(init=False)

    async def close(self) -> None:
        await self.logins.limiter.close()


def build(runtime: Runtime) -> Services:
    """Build the services, install the authenticator and the cleanup steps."""
    from revenge.accounts.authenticator import token_authenticator
    from revenge.accounts.oidc_service import OidcService

    settings = runtime.settings
    box = runtime.secrets
    passwords = Passwords(settings.auth)
    sessions = SessionService(runtime)
    keys = AccessKeyService(runtime)
    limiter = LoginLimiter(settings.redis_url, settings.cache.redis_prefix)
    two_factor = TwoFactorService(runtime, sessions)
    logins = LoginService(runtime, passwords, sessions, limiter, two_factor)
    scopes = LibraryScopes(runtime.cache, runtime.db)
    users = UserService(runtime, passwords, sessions, keys, libraries_repo, scopes)
    services = Services(
        secrets=box,
        passwords=passwords,
        sessions=sessions,
        access_keys=keys,
        users=users,
        logins=logins,
        two_factor=two_factor,
        library_scopes=scopes,
    )
    runtime.authenticator = token_authenticator(
        services, settings.server.trusted_proxies, runtime.server_settings
    )
    services.oidc = OidcService(runtime, box, users)
    services.app_passwords = AppPasswordService(runtime)
    runtime.cleanup_steps.extend([sessions.cleanup, bruteforce.cleanup, services.oidc.cleanup])
    return services
