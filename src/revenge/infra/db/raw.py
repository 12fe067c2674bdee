"""Running a repository's fixed SQL on the psycopg connection under a session.

SQLAlchemy's statement and result layers cost about as much CPU as psycopg's own work on a
short read (0.3-0.4 ms a statement); the hottest reads skip them. The SQL is the caller's,
with psycopg's `%(name)s` parameters; it runs in the session's transaction.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from psycopg import AsyncConnection
from psycopg.rows import RowMaker, namedtuple_row
from sqlalchemy.ext.asyncio import AsyncConnection as SAConnection
from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from psycopg._cursor_base import BaseCursor


async def driver(session: AsyncSession) -> AsyncConnection[Any]:
    """The psycopg connection of the session's transaction.

    A reading session (`Database.reading`) is bound to a connection already taken, in
    autocommit: its statements need no transaction of the session's, and the connection is
    read off the bind. Asking the session (`session.connection()`) sets up its transaction
    through SQLAlchemy's greenlet bridge: ~60 us, a twentieth of a page of movies."""
    bind = session.bind
    if isinstance(bind, SAConnection) and not bind.closed:
        found = cast(AsyncConnection[Any], bind.sync_connection.connection.driver_connection)  # type: ignore[union-attr]
        if found.autocommit:
            return found
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return cast(AsyncConnection[Any], raw.driver_connection)


async def fetch(session: AsyncSession, sql: str, params: dict[str, Any]) -> list[Any]:
    """The rows of `sql` as named tuples (attributes by column name, as SQLAlchemy's rows).
    Binary results: ids, times, numbers and arrays are read without parsing text."""
    pg = await driver(session)
    async with pg.cursor(row_factory=named_rows(sql), binary=True) as cur:
        await cur.execute(sql, params)
        return await cur.fetchall()


class NamedRows:
    """A row factory for one statement: its rows as named tuples, the tuple type made from
    the columns of its first result and kept. psycopg's `namedtuple_row` reads every column's
    name and looks the type up again on each execution: ~4% of the CPU of a page of movies.
    A statement's text fixes its columns, so one `NamedRows` serves every run of it."""

    __slots__ = ("_make",)

    def __init__(self) -> None:
        self._make: RowMaker[Any] | None = None

    def __call__(self, cursor: BaseCursor[Any, Any]) -> RowMaker[Any]:
        if self._make is None:
            made = namedtuple_row(cursor)
            if cursor.pgresult is None or not cursor.pgresult.nfields:
                return made  # no columns (yet): nothing to keep
            self._make = made
        return self._make


_NAMED_ROWS: dict[str, NamedRows] = {}


def named_rows(sql: str) -> NamedRows:
    """The row factory of `sql` (`NamedRows`), one per statement text."""
    found = _NAMED_ROWS.get(sql)
    if found is None:
        if len(_NAMED_ROWS) >= 4096:  # statements are fixed texts: this bounds a mistake
            _NAMED_ROWS.clear()
        found = _NAMED_ROWS[sql] = NamedRows()
    return found


# A `:name` parameter, not a `::type` cast.
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@cache
def pyformat(sql: str) -> str:
    """SQL written with `:name` parameters (as for `sqlalchemy.text`) in psycopg's style;
    done once per statement. The SQL must hold no `%`."""
    if "%" in sql:
        raise ValueError("SQL with % cannot be converted.")
    return _NAMED.sub(r"%(\1)s", sql)
