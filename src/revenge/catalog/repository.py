"""SQL shared by the content modules' read APIs: files, streams, user state, paging."""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol, TypeVar

from sqlalchemy import (
    ARRAY,
    UUID,
    BindParameter,
    Column,
    ColumnElement,
    Integer,
    Row,
    Select,
    any_,
    bindparam,
    delete,
    func,
    select,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.types import NullType

from revenge.catalog import list_flags
from revenge.catalog.keyset import Cursor, after, check_cursor, decode_cursor, order_by
from revenge.catalog.people.repository import delete_orphan_credits
from revenge.catalog.state.models import UserItemState
from revenge.images.repository import delete_orphan_links
from revenge.infra.db import raw
from revenge.libraries.models import MediaFile, MediaStream

SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")
M = TypeVar("M")


# The column each sort key of the browse lists orders by, in the kinds that have it.
_SORT_COLUMNS = {
    "title": "sort_title", "name": "sort_name", "year": "year", "added": "created_at",
    "rating": "community_rating", "runtime": "runtime_minutes", "series": "series_name",
}  # fmt: skip


def sorts(model: Any, *keys: str) -> dict[str, Any]:
    """The sort keys (`title`, `added`...) of a list of `model`, with their table's columns
    (not the mapped attributes: ordering and comparing those costs a page several times as
    much in expression building)."""
    return {key: model.__table__.c[_SORT_COLUMNS[key]] for key in keys}


def scoped(
    stmt: SelectT,
    library_col: InstrumentedAttribute[uuid.UUID] | Column[uuid.UUID],
    allowed: set[uuid.UUID] | None,
    library_id: uuid.UUID | None,
) -> SelectT:
    """Limit a query to the caller's libraries, and to one library when asked."""
    if allowed is not None:
        stmt = stmt.where(library_col.in_(allowed or {uuid.UUID(int=0)}))
    if library_id is not None:
        stmt = stmt.where(library_col == library_id)
    return stmt


async def count_rows(session: AsyncSession, stmt: Select[Any]) -> int:
    """How many rows the statement returns."""
    return int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


async def page(
    session: AsyncSession, stmt: Select[Any], order: Sequence[Any], limit: int, offset: int
) -> tuple[list[Any], int]:
    """One page of rows and the total count."""
    total = await count_rows(session, stmt)
    rows = (await session.execute(stmt.order_by(*order).limit(limit).offset(offset))).all()
    return list(rows), total


class Window(Protocol):
    """Which page of a list a caller asks for, in which libraries (a `Browse`)."""

    @property
    def user_id(self) -> uuid.UUID: ...
    @property
    def allowed(self) -> set[uuid.UUID] | None: ...
    @property
    def library_id(self) -> uuid.UUID | None: ...
    @property
    def descending(self) -> bool: ...
    @property
    def limit(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def cursor(self) -> str | None: ...
    @property
    def columns(self) -> frozenset[str] | None: ...
    async def total(self, per_user: bool, key: str, count: Callable[[], Awaitable[int]]) -> int: ...


# Bookkeeping columns of catalogue rows no list answer shows: file grouping, fetch status,
# locked fields. Only details and writers read them.
_UNLISTED = frozenset(
    {"group_key", "updated_at", "metadata_status", "metadata_reason", "metadata_fetched_at",
     "locked_fields"}
)  # fmt: skip


def listing(model: Any, *extra: Any) -> Select[Any]:
    """A list's statement: the columns of `model`'s table a list answer may show (all but
    `_UNLISTED`), then `extra` (labelled).

    Lists read plain rows rather than ORM instances: loading a page of them costs a fraction,
    and a row answers to the same attribute names as the instance would."""
    return select(*_listed_columns(model.__table__), *extra)


@cache
def _listed_columns(table: Any) -> tuple[Any, ...]:
    # psycopg already reads a text[] as a list: SQLAlchemy's copying it again, item by item,
    # took about a tenth of reading a page.
    return tuple(
        type_coerce(c, NullType()).label(c.name) if isinstance(c.type, ARRAY) else c
        for c in table.columns
        if c.name not in _UNLISTED
    )


def param(name: str, like: Any) -> BindParameter[Any]:
    """The bound parameter `name` of a list's statement, typed as the column `like`: its
    value is given when the statement runs (see `keyset_rows`)."""
    return bindparam(name, type_=like.type)


# The parameters `keyset_rows` gives every statement it builds.
_LIBRARIES, _LIBRARY, _LIMIT, _OFFSET, _CURSOR_ID = (
    "list_libraries", "list_library_id", "list_limit", "list_offset", "list_cursor_id",
)  # fmt: skip
_UUIDS = ARRAY(UUID(as_uuid=True))


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A list statement's SQL for the session's psycopg connection, with the values it was
    built with (constants of its shape; a request's own values are given over them)."""

    sql: str
    constants: dict[str, Any]
    names: frozenset[str]

    @classmethod
    def of(cls, stmt: Any, dialect: Any) -> _Compiled:
        compiled = stmt.compile(dialect=dialect)
        sql = str(compiled)
        # An expanding IN would need SQLAlchemy at every run: lists bind arrays instead.
        if "POSTCOMPILE" in sql:
            raise ValueError("A list statement may not hold an expanding IN.")
        constants = dict(compiled.params)
        return cls(sql, constants, frozenset(constants))

    def params(self, given: dict[str, Any]) -> dict[str, Any]:
        found = dict(self.constants)
        found.update((k, v) for k, v in given.items() if k in self.names)
        return found


@dataclass(frozen=True, slots=True)
class _Listed:
    """A list shape's statements: the page's, the total's, and the sort terms' labels."""

    page: _Compiled
    count: _Compiled
    count_digest: str
    labels: tuple[str, ...]


# List statements by shape: building one with SQLAlchemy and going through its cache key,
# compilation and result layers cost more CPU than PostgreSQL's reading the page (about
# 40% of a Jellyfin page of movies). The shapes are few: a list, its sort and direction,
# which filters are set, and whether a cursor, an offset or a library narrows the page.
_LISTS: dict[Hashable, _Listed] = {}
_LISTS_MAX = 2048


async def keyset_rows(
    session: AsyncSession,
    shape: Hashable,
    build: Callable[[], Select[Any]],
    model: Any,
    key: Any,
    sort: str,
    window: Window,
    *,
    values: dict[str, Any] | None = None,
    per_user: bool = False,
    then: Sequence[Any] = (),
    flags: str | None = None,
) -> tuple[list[Any], int, str | None]:
    """One page of the rows of `build()` about the `model` rows the caller may see, ordered
    by `key, then..., id`, the total and the next cursor. Each row is a named tuple.

    `shape` names the list and which of its filters are set: `build()` is called once per
    shape, sort and paging, its varying values as named parameters (`param`) whose `values`
    are given here; `key` and `then` are fixed by the shape and `sort`. `then` breaks ties
    of the key, ascending whatever the direction (a series' books in reading order).
    `per_user`: the list depends on the caller's own state, so its total is not shared.
    `flags`: the rows are items of that kind, and each row also carries the caller's flags
    of it (`list_flags.columns`), read in the same statement.
    """
    descending, limit, allowed = window.descending, window.limit, window.allowed
    terms = [(key, descending), *((extra, False) for extra in then)]
    given: dict[str, Any] = dict(values or ())
    given[list_flags.USER] = window.user_id
    given[_LIMIT] = limit
    cursor = None
    if window.cursor is not None:
        cursor = decode_cursor(window.cursor, sort, descending)
        check_cursor(terms, cursor)
        given.update((f"list_cursor_{n}", v) for n, v in enumerate(cursor.values))
        given[_CURSOR_ID] = cursor.last_id
    elif window.offset:
        given[_OFFSET] = window.offset
    if allowed is not None:
        # Sorted: the total's cache key is the same whichever order the set holds.
        given[_LIBRARIES] = sorted(allowed) or [uuid.UUID(int=0)]
    if window.library_id is not None:
        given[_LIBRARY] = window.library_id
    paging = (
        None if cursor is None else tuple(v is None for v in cursor.values),
        cursor is None and bool(window.offset),
    )
    full = (
        shape, model.__table__.name, sort, descending, len(then), flags, paging,
        allowed is not None, window.library_id is not None, window.columns,
    )  # fmt: skip
    listed = _LISTS.get(full)
    if listed is None:
        stmt = _shown(build(), window.columns)
        listed = _build(
            session.get_bind().dialect, stmt, model, terms, descending, cursor, given, flags
        )
        if len(_LISTS) >= _LISTS_MAX:
            _LISTS.clear()
        _LISTS[full] = listed
    pg = await raw.driver(session)

    async def count() -> int:
        async with pg.cursor(binary=True) as cur:
            await cur.execute(listed.count.sql, listed.count.params(given))
            found = await cur.fetchone()
        return int(found[0]) if found else 0

    counted = listed.count.params(given)
    digest = f"{listed.count_digest}:{sorted((k, repr(v)) for k, v in counted.items())}"
    total = await window.total(per_user, digest, count)
    # Binary results: ids, times and numbers are read without parsing text.
    async with pg.cursor(row_factory=raw.named_rows(listed.page.sql), binary=True) as cur:
        await cur.execute(listed.page.sql, listed.page.params(given))
        rows = await cur.fetchall()
    following = None
    if len(rows) == limit:
        last: Any = rows[-1]
        values_ = tuple(getattr(last, name) for name in listed.labels)
        following = Cursor(sort, descending, values_, last.sort_id).encode()
    return rows, total, following


def _shown(stmt: Select[Any], columns: frozenset[str] | None) -> Select[Any]:
    """`stmt` reading only the `columns` the answer shows (all when None): a list answer
    shows about two thirds of a row's columns, and each one read is loaded, converted and
    then ignored (an overview is the longest of them)."""
    if columns is None:
        return stmt
    return stmt.with_only_columns(*(c for c in stmt.selected_columns if c.name in columns))


def _build(
    dialect: Any, stmt: Select[Any], model: Any, terms: list[tuple[Any, bool]],
    descending: bool, cursor: Cursor | None, given: dict[str, Any], flags: str | None,
) -> _Listed:  # fmt: skip
    """The statements of one list shape (see `keyset_rows`)."""
    # The table's columns rather than the mapped attributes: cheaper to build upon.
    table = model.__table__
    id_col = table.c.id
    library_col = table.c.library_id
    if _LIBRARIES in given:
        stmt = stmt.where(library_col == any_(bindparam(_LIBRARIES, type_=_UUIDS)))
    if _LIBRARY in given:
        stmt = stmt.where(library_col == param(_LIBRARY, library_col))
    counting = select(func.count()).select_from(stmt.subquery())
    labels = tuple(f"sort_key_{n}" for n in range(len(terms)))
    keys = [
        *(expr.label(labels[n]) for n, (expr, _) in enumerate(terms)),
        id_col.label("sort_id"),
    ]
    # With flags, the page is first found as ids alone, then joined to its rows and their
    # flags: read around the page, the flags' subqueries run for its rows only, not for
    # every row an offset skips.
    query = stmt.add_columns(*keys) if flags is None else stmt.with_only_columns(*keys)
    if cursor is not None:
        bound = [
            None if v is None else param(f"list_cursor_{n}", key)
            for n, ((key, _), v) in enumerate(zip(terms, cursor.values, strict=True))
        ]
        query = query.where(after(terms, id_col, descending, bound, param(_CURSOR_ID, id_col)))
    elif _OFFSET in given:
        query = query.offset(bindparam(_OFFSET, type_=Integer))
    query = query.order_by(*order_by(terms, id_col, descending))
    query = query.limit(bindparam(_LIMIT, type_=Integer))
    if flags is not None:
        page = query.subquery("page")
        ordered = [(page.c[name], desc) for name, (_, desc) in zip(labels, terms, strict=True)]
        query = (
            stmt.join(page, id_col == page.c.sort_id)
            .add_columns(*page.c, *list_flags.columns(flags, id_col))
            .order_by(*order_by(ordered, page.c.sort_id, descending))
        )
    count = _Compiled.of(counting, dialect)
    digest = hashlib.blake2b(count.sql.encode(), digest_size=16).hexdigest()
    return _Listed(_Compiled.of(query, dialect), count, digest, labels)


def _visible(
    stmt: SelectT, model: Any, item_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> SelectT:
    return scoped(stmt.where(model.id == item_id), model.library_id, allowed, None)


async def visible_row(
    session: AsyncSession, model: type[M], item_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> M | None:
    """The row of `model` with this id when it is in a library the caller may see, else None."""
    query = _visible(select(model), model, item_id, allowed)
    found: M | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def visible_first(
    session: AsyncSession, stmt: Select[*tuple[Any, ...]], model: Any, item_id: uuid.UUID,
    allowed: set[uuid.UUID] | None,
) -> Row[*tuple[Any, ...]] | None:  # fmt: skip
    """`stmt`'s row about the `model` row with this id, when the caller may see it."""
    return (await session.execute(_visible(stmt, model, item_id, allowed))).first()


async def children(
    session: AsyncSession, parent: Any, parent_id: uuid.UUID, order: Sequence[Any]
) -> list[Any]:
    """The rows whose `parent` column is `parent_id`, in `order`."""
    model = parent.class_
    rows = await session.execute(select(model).where(parent == parent_id).order_by(*order))
    return list(rows.scalars())


@dataclass(frozen=True)
class ListFilters:
    """Optional narrowing of a list: years, and `played` by the caller (`user_id`)."""

    user_id: uuid.UUID
    year_from: int | None = None
    year_to: int | None = None
    played: bool | None = None


def in_years(stmt: SelectT, year: Any, f: ListFilters) -> SelectT:
    """The statement narrowed to the filters' years (each bound optional), as the parameters
    `year_from` and `year_to` (`years`)."""
    if f.year_from is not None:
        stmt = stmt.where(year >= param("year_from", year))
    if f.year_to is not None:
        stmt = stmt.where(year <= param("year_to", year))
    return stmt


def years(f: ListFilters) -> dict[str, Any]:
    """The values of `in_years`' parameters."""
    return {"year_from": f.year_from, "year_to": f.year_to}


def year_shape(f: ListFilters) -> tuple[bool, bool, bool | None]:
    """Which of the filters' years and played flag narrow a list."""
    return (f.year_from is not None, f.year_to is not None, f.played)


def state_flag(kind: str, id_col: Any, flag: Any) -> ColumnElement[bool]:
    """True when the caller's state of the item has the flag set (the caller given as the
    list's parameter `list_flags.USER`)."""
    user_id = bindparam(list_flags.USER, type_=UserItemState.user_id.type)
    return (
        select(UserItemState.item_id)
        .where(
            UserItemState.user_id == user_id,
            UserItemState.item_kind == kind,
            UserItemState.item_id == id_col,
            flag.is_(True),
        )
        .exists()
    )


def main_duration(id_col: Any) -> Any:
    """Running time of an item: its longest main (non-extra) file."""
    return (
        select(func.max(MediaFile.duration_seconds))
        .where(MediaFile.item_id == id_col, MediaFile.extra_type.is_(None))
        .scalar_subquery()
    )


async def files_for_items(
    session: AsyncSession, item_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Every file (with its streams) of the given items, by item id."""
    if not item_ids:
        return {}
    files = (
        (
            await session.execute(
                select(MediaFile)
                .where(MediaFile.item_id.in_(item_ids))
                .order_by(MediaFile.extra_type.nulls_first(), MediaFile.part, MediaFile.path)
            )
        )
        .scalars()
        .all()
    )
    streams: dict[uuid.UUID, list[MediaStream]] = defaultdict(list)
    if files:
        rows = await session.execute(
            select(MediaStream)
            .where(MediaStream.media_file_id.in_([f.id for f in files]))
            .order_by(MediaStream.media_file_id, MediaStream.index)
        )
        for stream in rows.scalars():
            streams[stream.media_file_id].append(stream)
    out: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for f in files:
        assert f.item_id is not None
        out[f.item_id].append({"file": f, "streams": streams.get(f.id, [])})
    return out


# The caller's state of each item and the running time of its first file (main files first,
# then by part and path: the file a player opens), one row per id given, in one statement.
_PLAYER_STATE = raw.pyformat(
    """
    SELECT i.id, s.position_seconds, s.played, s.favourite, s.play_count, s.last_played_at,
           (SELECT f.duration_seconds FROM media_files f WHERE f.item_id = i.id
            ORDER BY f.extra_type NULLS FIRST, f.part, f.path LIMIT 1) AS duration
    FROM unnest(CAST(:ids AS uuid[])) AS i(id)
    LEFT JOIN user_item_state s
           ON s.user_id = :user_id AND s.item_kind = :kind AND s.item_id = i.id
    """
)


async def player_states(
    session: AsyncSession, user_id: uuid.UUID, kind: str, item_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    """For each item of `kind`: the caller's state columns (`position_seconds`, `played`,
    `favourite`, `play_count`, `last_played_at`; None without a state row) and `duration`,
    its first file's running time (None without one), by item id."""
    if not item_ids:
        return {}
    params = {"ids": list(item_ids), "user_id": user_id, "kind": kind}
    return {r.id: r for r in await raw.fetch(session, _PLAYER_STATE, params)}


async def user_states(
    session: AsyncSession, user_id: uuid.UUID, item_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, UserItemState]:
    if not item_ids:
        return {}
    rows = await session.execute(
        select(UserItemState).where(
            UserItemState.user_id == user_id, UserItemState.item_id.in_(item_ids)
        )
    )
    return {s.item_id: s for s in rows.scalars()}


Orphans = Sequence[tuple[str, Any]]


async def purge_orphans(
    session: AsyncSession, deletes: Sequence[Any], *, states: Orphans = (),
    credits: Orphans = (), links: Orphans = (),
) -> int:  # fmt: skip
    """Run a module's `deletes` (items left without files, then emptied parents), then drop
    what pointed at the removed rows: user state, credits and image links of each
    `(kind, model)` named. Returns how many rows went."""
    removed = 0
    for stmt in deletes:
        result = await session.execute(stmt)
        removed += int(getattr(result, "rowcount", 0) or 0)
    for kind, model in states:
        removed += await delete_orphan_states(session, kind, model.__table__)
    for kind, model in credits:
        removed += await delete_orphan_credits(session, kind, model.__table__)
    for kind, model in links:
        removed += await delete_orphan_links(session, kind, model.__table__)
    return removed


async def delete_orphan_states(session: AsyncSession, kind: str, table: Any) -> int:
    """Remove user state rows of items of `kind` that no longer exist."""
    result = await session.execute(
        delete(UserItemState).where(
            UserItemState.item_kind == kind,
            ~select(table.c.id).where(table.c.id == UserItemState.item_id).exists(),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def no_files_left(item_id_col: Any) -> ColumnElement[bool]:
    """True for an item no media file points at any more."""
    return ~select(MediaFile.id).where(MediaFile.item_id == item_id_col).exists()
