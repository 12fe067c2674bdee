"""What each user may see, cached beside their credentials so a request reads it from memory.

Authentication attaches a `LibraryScope` to a user's principal (`LibraryScopes.attach`); the
access rule (`libraries.access`) then needs no query. A cache miss reads the user's flag and
grants in a transaction that share-locks the user's row and writes the cache entry before it
ends. A change of access locks that row first and evicts the entry (`forget`) before its own
transaction ends, so it waits for such a read and no stale entry outlives it: the protocol
of `identity.credentials`, for the same reason (a revoked grant must not linger).
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from revenge.identity import LibraryScope, Principal
from revenge.infra.cache import Cache
from revenge.infra.db.engine import Database
from revenge.libraries import repository as repo

# Longest a user's scope is trusted from the cache before the database is asked again.
SCOPE_TTL_SECONDS = 30.0
_EVERY = b"*"


def _key(user_id: uuid.UUID) -> str:
    return f"libscope:{user_id}"


def encode(scope: LibraryScope) -> bytes:
    if scope.every:
        return _EVERY
    return b",".join(str(i).encode() for i in sorted(scope.granted))


def decode(raw: bytes) -> LibraryScope | None:
    if raw == _EVERY:
        return LibraryScope(every=True)
    try:
        return LibraryScope(False, frozenset(uuid.UUID(p.decode()) for p in raw.split(b",") if p))
    except ValueError:
        return None


class LibraryScopes:
    """The cached library scope of each user, attached to their principals."""

    def __init__(self, cache: Cache, db: Database) -> None:
        self._cache = cache
        self._db = db

    async def attach(self, principal: Principal) -> Principal:
        """The principal with its scope (administrators see everything: nothing to read)."""
        if principal.role == "admin" or principal.libraries is not None:
            return principal
        scope = await self.scope_of(principal.user_id)
        return principal if scope is None else replace(principal, libraries=scope)

    async def scope_of(self, user_id: uuid.UUID) -> LibraryScope | None:
        """None when there is no such user (the caller then reads, and finds nothing)."""
        raw = await self._cache.get(_key(user_id))
        scope = decode(raw) if raw is not None else None
        if scope is not None:
            return scope
        async with self._db.transaction() as session:
            found = await repo.locked_scope(session, user_id)
            if found is None:
                return None
            every, granted = found
            scope = LibraryScope(every, frozenset(granted))
            # Written while the user's row is share-locked: see the module docstring.
            await self._cache.set(_key(user_id), encode(scope), SCOPE_TTL_SECONDS)
        return scope

    async def forget(self, user_id: uuid.UUID) -> None:
        """Drop a user's cached scope (inside the transaction that changed it, row locked)."""
        await self._cache.delete(_key(user_id))
