"""List totals, cached until the catalogue changes.

Counting every matching row costs a scan of the table (about 7 ms for 60,000 movies), paid
again by every page of every list. Totals are cached under a catalogue generation token:
writers of the catalogue (scan batches, the search indexing that follows every catalogue or
metadata change) drop the token, and the next reader starts a new generation, so no total
outlives the change it missed on any node. Lists filtered on a user's own state (played,
favourite) change with every progress report, so they are always counted afresh.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.cache import Cache
from revenge.infra.db.hooks import after_commit_task

GENERATION_KEY = "catalog:generation"
TTL_SECONDS = 600.0


class CatalogTotals:
    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    async def bump(self) -> None:
        """The catalogue changed: every cached total is void, on every node."""
        await self.cache.delete(GENERATION_KEY)

    def changed(self, session: AsyncSession) -> None:
        """The session's transaction changes the catalogue: void the totals once it commits."""
        after_commit_task(session, self.bump)

    async def generation(self) -> str:
        """The token of the catalogue as it is now: it changes whenever the catalogue does."""
        current = await self.cache.get(GENERATION_KEY)
        if current is not None:
            return current.decode()
        fresh = secrets.token_hex(8)
        # Written before counting: a total computed from data older than a later bump is
        # stored under a generation that bump already removed.
        await self.cache.set(GENERATION_KEY, fresh.encode(), TTL_SECONDS)
        return fresh

    async def cached(self, key: str, count: Callable[[], Awaitable[int]]) -> int:
        """The total of the list `key` names (its count statement and values, equal for
        equal lists whoever asks): cached in this generation, else `count()`ed."""
        key = f"catalog:total:{await self.generation()}:{_hash(key)}"
        cached = await self.cache.get(key)
        if cached is not None:
            return int(cached)
        total = await count()
        await self.cache.set(key, str(total).encode(), TTL_SECONDS)
        return total


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
