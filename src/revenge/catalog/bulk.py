"""Bulk upsert of keyed catalogue rows: one statement per table per batch of files."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection


async def upsert_keyed(
    conn: AsyncConnection[Any],
    table: str,
    library_id: uuid.UUID,
    rows: Mapping[str, Mapping[str, Any]],
    columns: Sequence[tuple[str, str]],
    refresh: Sequence[str] = (),
) -> tuple[dict[str, uuid.UUID], set[uuid.UUID]]:
    """Insert rows missing by (library_id, group_key); return key -> id and the new ids.

    `columns` are (name, PostgreSQL type) pairs; `refresh` names columns overwritten on
    rows that already exist (facts read from the file, not ones metadata providers own).
    Table and column names come from code, never from input.
    """
    if not rows:
        return {}, set()
    keys = list(rows)
    names = [name for name, _ in columns]
    arrays: list[Any] = [keys] + [[rows[k].get(n) for k in keys] for n in names]
    casts = ", ".join(["%s::text[]"] + [f"%s::{t}[]" for _, t in columns])
    alias = ", ".join(["_key"] + [f"c{i}" for i in range(len(names))])
    select = "".join(f", c{i}" for i in range(len(names)))
    updates = ", ".join(f"{n} = EXCLUDED.{n}" for n in refresh) or "group_key = EXCLUDED.group_key"
    sql = (
        f"INSERT INTO {table} (library_id, group_key{''.join(', ' + n for n in names)})"
        f" SELECT %s, _key{select}"
        f" FROM unnest({casts}) AS u({alias})"
        f" ON CONFLICT (library_id, group_key) DO UPDATE SET {updates}"
        # xmax is 0 only on a row this statement inserted (not on one it updated).
        " RETURNING id, group_key, xmax = 0"
    )
    async with conn.cursor() as cur:
        await cur.execute(sql, [library_id, *arrays])
        returned = await cur.fetchall()
    found = {key: rid for rid, key, _ in returned}
    created = {rid for rid, _, inserted in returned if inserted}
    return found, created


@dataclass(frozen=True, slots=True)
class KeyedUpsert:
    """`upsert_keyed` bound to one table: called with (conn, library_id, rows)."""

    table: str
    columns: Sequence[tuple[str, str]]
    refresh: Sequence[str] = ()

    async def __call__(
        self, conn: AsyncConnection[Any], library_id: uuid.UUID,
        rows: Mapping[str, Mapping[str, Any]],
    ) -> tuple[dict[str, uuid.UUID], set[uuid.UUID]]:  # fmt: skip
        return await upsert_keyed(conn, self.table, library_id, rows, self.columns, self.refresh)
