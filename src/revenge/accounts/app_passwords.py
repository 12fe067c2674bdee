"""App passwords: generated secrets for Subsonic apps that speak only token+salt auth.

Subsonic's token auth sends `t = md5(password + salt)`, which a server can only check while
holding the password itself. Account passwords are kept as argon2id hashes and must stay so,
so each user may generate app passwords instead: random, shown once, sealed with the secret
box (the key file's master key), usable only by the Subsonic API, and revocable one by one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts import app_passwords_repository as repo
from revenge.accounts.audit import record_auth
from revenge.accounts.models import AppPassword, User
from revenge.errors import Conflict, NotFound
from revenge.infra.secrets import SecretError

if TYPE_CHECKING:
    from revenge.runtime import Runtime

MAX_PER_USER = 20
# Letters and digits only: typed on phone keyboards, and safe inside `enc:` and URLs.
_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SECRET_LENGTH = 24  # ~140 bits


@dataclass(frozen=True)
class Verified:
    """A user whose app password matched, and which one."""

    user: User
    app_password_id: uuid.UUID


def new_secret() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(SECRET_LENGTH))


class AppPasswordService:
    def __init__(self, runtime: Runtime) -> None:
        self._rt = runtime

    async def create(
        self, session: AsyncSession, user_id: uuid.UUID, name: str
    ) -> tuple[AppPassword, str]:
        """A new app password and its secret (returned once)."""
        if await repo.count_for(session, user_id) >= MAX_PER_USER:
            raise Conflict(f"A user can hold at most {MAX_PER_USER} app passwords.")
        secret = new_secret()
        row = AppPassword(
            user_id=user_id,
            name=name,
            secret_encrypted=self._rt.secrets.encrypt_text(secret),
            prefix=secret[:4],
        )
        row = await repo.insert(session, row)
        await record_auth(
            self._rt, session, "app_password_created", user_id=user_id,
            resource_type="app_password", resource_id=str(row.id), details={"name": name},
        )  # fmt: skip
        return row, secret

    async def list_for(self, session: AsyncSession, user_id: uuid.UUID) -> Sequence[AppPassword]:
        return await repo.list_for(session, user_id)

    async def revoke(self, session: AsyncSession, user_id: uuid.UUID, app_id: uuid.UUID) -> None:
        if not await repo.remove(session, user_id, app_id):
            raise NotFound(f"No app password {app_id}.")
        await record_auth(
            self._rt, session, "app_password_revoked", user_id=user_id,
            resource_type="app_password", resource_id=str(app_id),
        )  # fmt: skip

    async def user_by_name(self, session: AsyncSession, username: str) -> User | None:
        return await repo.enabled_user(session, username)

    async def has_any(self, session: AsyncSession, user_id: uuid.UUID) -> bool:
        return await repo.count_for(session, user_id) > 0

    async def _secrets(
        self, session: AsyncSession, user_id: uuid.UUID
    ) -> list[tuple[uuid.UUID, str]]:
        found = []
        for row in await repo.list_for(session, user_id):
            try:
                found.append((row.id, self._rt.secrets.decrypt_text(row.secret_encrypted)))
            except SecretError:
                continue  # sealed under a key since dropped: unusable, like a revoked one
        return found

    async def verify_token(
        self, session: AsyncSession, user: User, token: str, salt: str
    ) -> Verified | None:
        """The app password whose md5(secret + salt) is `token`, if any."""
        wanted = token.strip().lower().encode()
        for app_id, secret in await self._secrets(session, user.id):
            digest = hashlib.md5((secret + salt).encode(), usedforsecurity=False).hexdigest()
            if hmac.compare_digest(digest.encode(), wanted):
                await repo.touch(session, app_id)
                return Verified(user, app_id)
        return None

    async def verify_plain(
        self, session: AsyncSession, user: User, password: str
    ) -> Verified | None:
        """The app password equal to `password`, if any."""
        for app_id, secret in await self._secrets(session, user.id):
            if hmac.compare_digest(secret.encode(), password.encode()):
                await repo.touch(session, app_id)
                return Verified(user, app_id)
        return None
