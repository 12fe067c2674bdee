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
from typing import Any

from sqlalchemy import Select
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.repository import count_rows
from revenge.infra.cache import Cache
from revenge.infra.db.hooks import after_commit_task

GENERATION_KEY = "catalog:generation"
TTL_SECONDS = 600.0
_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


class CatalogTotals:
    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    async def bump(self) -> None:
        """The catalogue changed: every cached total is void, on every node."""
        await self.cache.delete(GENERATION_KEY)

    def changed(self, session: AsyncSession) -> None:
        """The session's transaction changes the catalogue: void the totals once it commits."""
        after_commit_task(session, self.bump)

    async def _generation(self) -> str:
        current = await self.cache.get(GENERATION_KEY)
        if current is not None:
            return current.decode()
        fresh = secrets.token_hex(8)
        # Written before counting: a total computed from data older than a later bump is
        # stored under a generation that bump already removed.
        await self.cache.set(GENERATION_KEY, fresh.encode(), TTL_SECONDS)
        return fresh

    async def count(self, session: AsyncSession, stmt: Select[Any], per_user: bool) -> int:
        if per_user:
            return await count_rows(session, stmt)
        key = f"catalog:total:{await self._generation()}:{_digest(stmt)}"
        cached = await self.cache.get(key)
        if cached is not None:
            return int(cached)
        total = await count_rows(session, stmt)
        await self.cache.set(key, str(total).encode(), TTL_SECONDS)
        return total


# SQL text by statement shape (SQLAlchemy's cache key, as its own compiled cache uses):
# compiling a list's count statement anew cost more than the cached total saved on a page.
_SQL: dict[Any, str] = {}
_SQL_MAX = 1024


def _digest(stmt: Select[Any]) -> str:
    """The statement's SQL and bound values: equal for equal lists, whoever asks."""
    shape = stmt._generate_cache_key()
    if shape is None:  # a construct SQLAlchemy cannot cache: compile it whole
        compiled = stmt.compile(dialect=_DIALECT)
        params = sorted((k, repr(v)) for k, v in compiled.params.items())
        return _hash(f"{compiled}|{params}")
    sql = _SQL.get(shape.key)
    if sql is None:
        if len(_SQL) >= _SQL_MAX:
            _SQL.clear()
        sql = _SQL[shape.key] = str(stmt.compile(dialect=_DIALECT))
    # The cache key lists the bound values in the order the statement's shape fixes.
    values = [repr(b.effective_value) for b in shape.bindparams]
    return _hash(f"{sql}|{values}")


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
