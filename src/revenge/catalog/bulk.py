"""Bulk upsert of keyed catalogue rows: one statement per table per batch of files."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

# The array type each column's values are sent as, by the column's Python type.
_ARRAY_TYPES = {
    uuid.UUID: "uuid",
    str: "text",
    int: "int",
    float: "float8",
    bool: "bool",
    dt.date: "date",
}


def typed(model: Any, names: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(name, PostgreSQL type) of the named columns of `model`'s table."""
    table = model.__table__
    return tuple((name, _ARRAY_TYPES[table.c[name].type.python_type]) for name in names)


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
    """`upsert_keyed` bound to one table: called with (conn, library_id, rows).

    Declared as `KeyedUpsert.of(Model, column, ...)`, the columns typed as the model has them.
    """

    table: str
    columns: Sequence[tuple[str, str]]
    refresh: Sequence[str] = ()

    @classmethod
    def of(cls, model: Any, *names: str, refresh: Sequence[str] = ()) -> KeyedUpsert:
        return cls(model.__tablename__, typed(model, names), refresh)

    async def __call__(
        self, conn: AsyncConnection[Any], library_id: uuid.UUID,
        rows: Mapping[str, Mapping[str, Any]],
    ) -> tuple[dict[str, uuid.UUID], set[uuid.UUID]]:  # fmt: skip
        return await upsert_keyed(conn, self.table, library_id, rows, self.columns, self.refresh)


async def replace_children(
    conn: AsyncConnection[Any], model: Any, names: Sequence[str], parents: Iterable[uuid.UUID],
    rows: Sequence[Sequence[Any]], *, skip_conflicts: bool = False,
) -> None:  # fmt: skip
    """Replace every row of `model`'s table whose first column (of `names`, the columns of
    each row's values) names one of `parents` by `rows`."""
    table, columns = model.__tablename__, typed(model, names)
    listed = ", ".join(names)
    casts = ", ".join(f"%s::{kind}[]" for _, kind in columns)
    arrays = [[row[n] for row in rows] for n in range(len(columns))]
    conflicts = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    async with conn.cursor() as cur:
        await cur.execute(
            f"DELETE FROM {table} WHERE {names[0]} = ANY(%s::uuid[])", [list(parents)]
        )
        await cur.execute(
            f"INSERT INTO {table} ({listed}) SELECT * FROM unnest({casts}){conflicts}", arrays
        )
