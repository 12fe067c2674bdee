"""SQL of re-sealing stored secrets: sealed values of one column, by batch and under lock.

Table and column names come from `SEALED_COLUMNS` (code, never input), hence the f-strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def table_exists(session: AsyncSession, table: str) -> bool:
    found = await session.execute(text("SELECT to_regclass(:t)"), {"t": table})
    return found.scalar() is not None


async def lock_stale(
    session: AsyncSession, table: str, column: str, pk: str, is_text: bool,
    marker: str | bytes, batch: int,
) -> Sequence[Any]:  # fmt: skip
    """Up to `batch` (pk, value) rows whose value does not start with `marker` (the current
    key id), locked for update; rows locked by others are skipped."""
    current = (
        f"left({column}, :n) = :prefix"
        if is_text
        else f"substring({column} from 1 for :n) = :prefix"
    )
    sql = (
        f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL"
        f" AND NOT ({current}) LIMIT :batch FOR UPDATE SKIP LOCKED"
    )
    params = {"n": len(marker), "prefix": marker, "batch": batch}
    return (await session.execute(text(sql), params)).all()


async def store(
    session: AsyncSession, table: str, column: str, pk: str, key_id_column: str | None,
    row_id: Any, value: str | bytes, key_id: str,
) -> None:  # fmt: skip
    key_set = f", {key_id_column} = :kid" if key_id_column else ""
    sql = f"UPDATE {table} SET {column} = :value{key_set} WHERE {pk} = :pk"
    await session.execute(text(sql), {"value": value, "kid": key_id, "pk": row_id})
