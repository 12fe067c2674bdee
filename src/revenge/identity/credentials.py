"""One implementation of bearer-credential storage for sessions and personal access keys.

A credential is a random secret shown once and stored as its SHA-256 hash. Validation reads a
cache entry first and the database only when the entry is missing or no longer usable. The
database read share-locks the credential (and user) rows and writes the cache entry before its
transaction ends; a revocation updates those rows first, so it waits for such a read and evicts
after it: a revoked credential is refused everywhere once the revoke returns. Use is recorded
at most once per ACTIVITY_WRITE_INTERVAL per credential and node.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from cachetools import TTLCache
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from revenge.identity.principal import Principal
from revenge.identity.tokens import cache_key, token_hash, well_formed
from revenge.infra.cache import Cache
from revenge.infra.db.engine import Database

# At most one last-used write per credential per node in this many seconds.
ACTIVITY_WRITE_INTERVAL = 60.0
# Longest a validated credential is trusted from the cache before the database is asked again.
CACHE_TTL_SECONDS = 30.0


class StoredCredential(Protocol):
    """What validation returns for a credential, and what the cache holds."""

    @property
    def credential_id(self) -> uuid.UUID: ...

    @property
    def expires_at(self) -> float | None: ...

    def encode(self) -> bytes: ...


class JsonCredential:
    """A kind of credential as validation returns it (a frozen dataclass with at least the
    fields declared here), cached as JSON.

    `prefix` tells its secrets apart, `cache_namespace` its cache entries; `uuid_fields` and
    `tuple_fields` name the fields JSON cannot give back as they were.
    """

    prefix: ClassVar[str]
    cache_namespace: ClassVar[str]
    uuid_fields: ClassVar[tuple[str, ...]] = ()
    tuple_fields: ClassVar[tuple[str, ...]] = ()
    user_id: uuid.UUID
    username: str
    role: str
    expires_at: float | None

    @property
    def credential_id(self) -> uuid.UUID:
        raise NotImplementedError

    def caller(self, **details: Any) -> Principal:
        """The user this credential signs in, with what this kind of credential adds."""
        return Principal(self.user_id, self.username, self.role, **details)

    @classmethod
    def store(
        cls,
        load: Callable[[AsyncConnection, bytes], Awaitable[Self | None]],
        touch: Callable[[AsyncSession, uuid.UUID, str | None], Awaitable[None]],
        cache: Cache,
        db: Database,
    ) -> CredentialStore[Self]:
        """The store of this kind: `load` reads a credential by hash, `touch` marks it used."""
        kind = CredentialKind(cls.cache_namespace, cls.prefix, cls.decode, load, touch)
        return CredentialStore(kind, cache, db)

    def encode(self) -> bytes:
        data = {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in vars(self).items()}
        return json.dumps(data).encode()

    @classmethod
    def decode(cls, raw: bytes) -> Self | None:
        """The credential a cache entry holds; None for an entry of another shape."""
        try:
            data: dict[str, Any] = json.loads(raw)
            for name in cls.uuid_fields:
                data[name] = uuid.UUID(data[name])
            for name in cls.tuple_fields:
                data[name] = tuple(data[name])
            make: Callable[..., Self] = cls
            return make(**data)
        except (ValueError, KeyError, TypeError):
            return None


C = TypeVar("C", bound=StoredCredential)


@dataclass(frozen=True)
class CredentialKind(Generic[C]):
    """How one kind of credential is told apart, read from the database and marked used."""

    cache_namespace: str
    prefix: str
    decode: Callable[[bytes], C | None]
    # Reads the unrevoked credential with this hash, share-locked; None when there is none.
    load: Callable[[AsyncConnection, bytes], Awaitable[C | None]]
    touch: Callable[[AsyncSession, uuid.UUID, str | None], Awaitable[None]]


Usable = Callable[[C, float], bool]


class CredentialStore(Generic[C]):
    """Hashing, cached lookup, expiry and last-used tracking of one kind of credential."""

    def __init__(self, kind: CredentialKind[C], cache: Cache, db: Database) -> None:
        self.kind = kind
        self._cache = cache
        self._db = db
        self._touched: TTLCache[uuid.UUID, float] = TTLCache(100_000, ACTIVITY_WRITE_INTERVAL)

    def well_formed(self, secret: str) -> bool:
        return well_formed(secret, self.kind.prefix)

    def cache_key(self, digest: bytes) -> str:
        return cache_key(self.kind.cache_namespace, digest)

    async def lookup(
        self,
        secret: str,
        usable: Usable[C],
        still_current: Callable[[C], Awaitable[bool]] | None = None,
    ) -> C | None:
        """The credential a secret belongs to, if usable now: cache first, then the database."""
        if not self.well_formed(secret):
            return None
        digest = token_hash(secret)
        key, now = self.cache_key(digest), time.time()
        raw = await self._cache.get(key)
        found = self.kind.decode(raw) if raw is not None else None
        if (
            found is None
            or not usable(found, now)
            or (still_current is not None and not await still_current(found))
        ):
            found = await self._from_db(digest, key, now, usable)
        return found

    async def _from_db(self, digest: bytes, key: str, now: float, usable: Usable[C]) -> C | None:
        async with self._db.engine.connect() as conn, conn.begin():
            found = await self.kind.load(conn, digest)
            if found is None or not usable(found, now):
                return None
            ttl = CACHE_TTL_SECONDS
            if found.expires_at is not None:
                ttl = min(ttl, found.expires_at - now)
            # Written while the rows are share-locked: see the module docstring.
            await self._cache.set(key, found.encode(), ttl)
        return found

    def mark_used(self, credential_id: uuid.UUID) -> None:
        """Count a credential as just used (it was written with its use time)."""
        self._touched[credential_id] = time.monotonic()

    async def touch(self, credential_id: uuid.UUID, ip: str | None = None) -> bool:
        """Record use: at most one database write per interval; False when throttled."""
        if credential_id in self._touched:
            return False
        self.mark_used(credential_id)
        async with self._db.transaction() as session:
            await self.kind.touch(session, credential_id, ip)
        return True

    async def evict(self, hashes: Sequence[bytes]) -> None:
        """Drop cached entries (after the rows they describe were changed)."""
        if hashes:
            await self._cache.delete(*(self.cache_key(h) for h in hashes))
