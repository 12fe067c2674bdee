"""Personal access keys: created by a user for scripts, shown once, stored as a SHA-256 hash.

A key is `rvk_` + 256 random bits. Its scopes (`read`, `write`, `admin`) can only narrow what
its owner may do; `admin` is offered only to administrators. Validation goes through the same
credential store as sessions (identity.credentials), so a revoked key is refused everywhere
once revoke returns.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from revenge.access_keys import repository as repo
from revenge.access_keys.models import AccessKey
from revenge.accounts.audit import record_auth
from revenge.errors import Conflict, Forbidden, Unprocessable
from revenge.identity import ALL_SCOPES, Principal
from revenge.identity.client import ClientInfo
from revenge.identity.credentials import JsonCredential
from revenge.identity.tokens import new_token, token_hash

if TYPE_CHECKING:
    from revenge.runtime import Runtime

KEY_PREFIX = "rvk_"
LISTED_PREFIX_LENGTH = 12
MAX_KEYS_PER_USER = 100


@dataclass(frozen=True)
class KeyIdentity(JsonCredential):
    """A valid access key as validate returns it (and as it is cached)."""

    prefix = KEY_PREFIX
    cache_namespace = "akey"
    uuid_fields = ("key_id", "user_id")
    tuple_fields = ("scopes",)

    key_id: uuid.UUID
    user_id: uuid.UUID
    username: str
    role: str
    scopes: tuple[str, ...]
    expires_at: float | None

    @property
    def credential_id(self) -> uuid.UUID:
        return self.key_id

    def usable(self, now: float) -> bool:
        return self.expires_at is None or now < self.expires_at

    def principal(self) -> Principal:
        return self.caller(access_key_id=self.key_id, scopes=frozenset(self.scopes))


def check_scopes(principal: Principal, scopes: Sequence[str]) -> list[str]:
    """Scopes a caller may grant: known ones, within its own rights."""
    wanted = sorted(set(scopes))
    unknown = set(wanted) - ALL_SCOPES
    if not wanted or unknown:
        raise Unprocessable(
            "Scopes must be a non-empty selection of read, write and admin.", field="scopes"
        )
    if "admin" in wanted and not principal.is_admin:
        raise Forbidden("Only administrators can create keys with the admin scope.")
    if not set(wanted) <= principal.scopes:
        raise Forbidden("A key cannot grant more than the credentials that create it.")
    return wanted


class AccessKeyService:
    """Access key operations; methods taking an AsyncSession run in the caller's transaction."""

    def __init__(self, runtime: Runtime) -> None:
        self._rt = runtime
        self.store = KeyIdentity.store(_load, _touch, runtime.cache, runtime.db)

    async def create(
        self,
        session: AsyncSession,
        principal: Principal,
        *,
        name: str,
        scopes: Sequence[str],
        expires_at: datetime | None,
        client: ClientInfo | None = None,
    ) -> tuple[AccessKey, str]:
        """A new key and its secret (returned once, never stored)."""
        granted = check_scopes(principal, scopes)
        if expires_at is not None and expires_at <= datetime.now(UTC):
            raise Unprocessable("The expiry must be in the future.", field="expires_at")
        if await repo.count_active(session, principal.user_id) >= MAX_KEYS_PER_USER:
            raise Conflict(f"A user can hold at most {MAX_KEYS_PER_USER} access keys.")
        secret = new_token(KEY_PREFIX)
        key = await repo.insert(
            session,
            AccessKey(
                user_id=principal.user_id,
                name=name,
                key_hash=token_hash(secret),
                prefix=secret[:LISTED_PREFIX_LENGTH],
                scopes=granted,
                expires_at=expires_at,
            ),
        )
        await record_auth(
            self._rt,
            session,
            "access_key_created",
            user_id=principal.user_id,
            client=client,
            resource_type="access_key",
            resource_id=str(key.id),
            details={"name": name, "scopes": granted, "prefix": key.prefix},
        )
        return key, secret

    async def list_keys(self, session: AsyncSession, user_id: uuid.UUID) -> Sequence[AccessKey]:
        return await repo.list_active(session, user_id)

    async def get(
        self, session: AsyncSession, user_id: uuid.UUID, key_id: uuid.UUID
    ) -> AccessKey | None:
        return await repo.get_active(session, user_id, key_id)

    async def revoke(
        self,
        session: AsyncSession,
        user_id: uuid.UUID,
        key_id: uuid.UUID,
        client: ClientInfo | None = None,
    ) -> bool:
        """Revoke one of the user's keys; False when the user has no such key."""
        digest = await repo.revoke(session, user_id, key_id)
        if digest is None:
            return False
        await self.store.evict([digest])
        await record_auth(
            self._rt,
            session,
            "access_key_revoked",
            user_id=user_id,
            resource_type="access_key",
            resource_id=str(key_id),
            ip_address=client.ip if client else None,
        )
        return True

    async def validate(self, secret: str) -> KeyIdentity | None:
        """The key a secret belongs to, if usable: cache first, then the database."""
        identity = await self.store.lookup(secret, KeyIdentity.usable)
        if identity is not None:
            await self.store.touch(identity.key_id)
        return identity

    def accepts(self, credential: str) -> bool:
        """As a credential backend of the authenticator: `rvk_` secrets are keys."""
        return credential.startswith(KEY_PREFIX)

    async def principal(self, credential: str, ip: str | None) -> Principal | None:
        identity = await self.validate(credential)
        return identity.principal() if identity is not None else None

    async def forget_cached(self, session: AsyncSession, user_id: uuid.UUID) -> None:
        """Drop a user's cached keys (after disabling them or changing their role)."""
        hashes = await repo.active_hashes(session, user_id)
        await self.store.evict(hashes)


async def _load(conn: AsyncConnection, digest: bytes) -> KeyIdentity | None:
    row = await repo.validation_row(conn, digest)
    if row is None or row.disabled:
        return None
    return KeyIdentity(
        key_id=row.id,
        user_id=row.user_id,
        username=row.username,
        role=row.role,
        scopes=tuple(row.scopes),
        expires_at=row.expires_at.timestamp() if row.expires_at else None,
    )


async def _touch(session: AsyncSession, key_id: uuid.UUID, ip: str | None) -> None:
    await repo.touch(session, key_id)
