"""Running a repository's fixed SQL on the psycopg connection under a session.

SQLAlchemy's statement and result layers cost about as much CPU as psycopg's own work on a
short read (0.3-0.4 ms a statement); the hottest reads skip them. The SQL is the caller's,
with psycopg's `%(name)s` parameters; it runs in the session's transaction.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, cast

from psycopg import AsyncConnection
from psycopg.rows import namedtuple_row
from sqlalchemy.ext.asyncio import AsyncSession


async def driver(session: AsyncSession) -> AsyncConnection[Any]:
    """The psycopg connection of the session's transaction."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return cast(AsyncConnection[Any], raw.driver_connection)


async def fetch(session: AsyncSession, sql: str, params: dict[str, Any]) -> list[Any]:
    """The rows of `sql` as named tuples (attributes by column name, as SQLAlchemy's rows).
    Binary results: ids, times, numbers and arrays are read without parsing text."""
    pg = await driver(session)
    async with pg.cursor(row_factory=namedtuple_row, binary=True) as cur:
        await cur.execute(sql, params)
        return await cur.fetchall()


# A `:name` parameter, not a `::type` cast.
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@cache
def pyformat(sql: str) -> str:
    """SQL written with `:name` parameters (as for `sqlalchemy.text`) in psycopg's style;
    done once per statement. The SQL must hold no `%`."""
    if "%" in sql:
        raise ValueError("SQL with % cannot be converted.")
    return _NAMED.sub(r"%(\1)s", sql)
