"""Per-row flags every list carries, so a client needs no request per item.

- `played` / `missing` on playable items (movie, episode, track, audiobook, podcast episode):
  whether the caller has played it, and whether all of its files are gone from disk (an item
  whose file disappeared stays listed until it is restored or the library is cleaned up).
- `unplayed_count` on containers (series, season, podcast): how many of their playable items
  the caller has not played.

A keyset list reads them in its page's own statement (`columns`, one correlated subquery
per flag); other lists and details read them with one query per page, over its ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    column,
    exists,
    false,
    func,
    select,
    table,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.state.models import UserItemState
from revenge.libraries.models import MediaFile

# Container kind -> (child table, its parent column, the child's item kind).
_CHILDREN = {
    "series": ("episodes", "series_id", "episode"),
    "season": ("episodes", "season_id", "episode"),
    "podcast": ("podcast_episodes", "podcast_id", "podcast_episode"),
}

_LEAF = text(
    """
    SELECT i.id,
           COALESCE((SELECT s.played FROM user_item_state s WHERE s.user_id = :user_id
                     AND s.item_kind = :kind AND s.item_id = i.id), false) AS played,
           (EXISTS (SELECT 1 FROM media_files f WHERE f.item_id = i.id
                    AND f.extra_type IS NULL)
            AND NOT EXISTS (SELECT 1 FROM media_files f WHERE f.item_id = i.id
                            AND f.extra_type IS NULL AND f.missing_since IS NULL)) AS missing
    FROM unnest(CAST(:ids AS uuid[])) AS i(id)
    """
)


# The caller's id in the statements `columns` returns, given when they run.
USER = "flags_user_id"


def columns(kind: str, id_col: Any) -> tuple[ColumnElement[Any], ...]:
    """The caller's flags of rows of `kind` (`id_col` their id) as columns of the list's own
    statement, named as the answers name them: `unplayed_count` for a container, `played`
    and `missing` for a playable item; the same rules as `unplayed_counts` and `leaf_flags`.
    The caller's id is the parameter `USER` of the statement's execution.

    Built once per kind and table: constructing the subqueries for every page cost more
    than running them."""
    return _columns(kind, id_col)


@cache
def _columns(kind: str, id_col: Any) -> tuple[ColumnElement[Any], ...]:
    user_id = bindparam(USER, type_=UserItemState.user_id.type)
    if kind in _CHILDREN:
        return (_unplayed(kind, user_id, id_col).label("unplayed_count"),)
    played = (
        select(UserItemState.played)
        .where(
            UserItemState.user_id == user_id,
            UserItemState.item_kind == kind,
            UserItemState.item_id == id_col,
        )
        .scalar_subquery()
    )
    main = (MediaFile.item_id == id_col, MediaFile.extra_type.is_(None))
    missing = and_(exists().where(*main), ~exists().where(*main, MediaFile.missing_since.is_(None)))
    return (func.coalesce(played, false()).label("played"), missing.label("missing"))


def _unplayed(kind: str, user_id: Any, id_col: Any) -> ColumnElement[int]:
    name, parent, child_kind = _CHILDREN[kind]
    child = table(name, column("id"), column(parent))
    played = exists().where(
        UserItemState.user_id == user_id,
        UserItemState.item_kind == child_kind,
        UserItemState.item_id == child.c.id,
        UserItemState.played,
    )
    found = select(func.count()).select_from(child).where(child.c[parent] == id_col, ~played)
    return found.scalar_subquery()


@dataclass(frozen=True, slots=True)
class LeafFlags:
    played: bool = False
    missing: bool = False


async def leaf_flags(
    session: AsyncSession, user_id: uuid.UUID, kind: str, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, LeafFlags]:
    """Played and missing, by item id, for one page of playable items of one kind."""
    if not ids:
        return {}
    rows = await session.execute(_LEAF, {"user_id": user_id, "kind": kind, "ids": list(ids)})
    return {r.id: LeafFlags(bool(r.played), bool(r.missing)) for r in rows}


async def unplayed_counts(
    session: AsyncSession, user_id: uuid.UUID, kind: str, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """How many children of each container the caller has not played, by container id."""
    if not ids:
        return {}
    table, parent, child_kind = _CHILDREN[kind]
    # Table and column names come from the fixed map above, never from input.
    sql = text(
        f"SELECT c.{parent} AS parent, count(*) AS n FROM {table} c"
        f" WHERE c.{parent} = ANY(CAST(:ids AS uuid[])) AND NOT EXISTS ("
        " SELECT 1 FROM user_item_state s WHERE s.user_id = :user_id"
        " AND s.item_kind = :child AND s.item_id = c.id AND s.played)"
        f" GROUP BY c.{parent}"
    )
    rows = await session.execute(sql, {"ids": list(ids), "user_id": user_id, "child": child_kind})
    found = {r.parent: int(r.n) for r in rows}
    return {i: found.get(i, 0) for i in ids}


class _Playable(Protocol):
    id: uuid.UUID
    played: bool
    missing: bool


class _Container(Protocol):
    id: uuid.UUID
    unplayed_count: int


async def flag_playable(
    session: AsyncSession, user_id: uuid.UUID, kind: str, items: Sequence[_Playable]
) -> None:
    """Set `played` and `missing` on each API item of one page."""
    found = await leaf_flags(session, user_id, kind, [i.id for i in items])
    for item in items:
        flags = found.get(item.id, LeafFlags())
        item.played, item.missing = flags.played, flags.missing


async def count_unplayed(
    session: AsyncSession, user_id: uuid.UUID, kind: str, items: Sequence[_Container]
) -> None:
    """Set `unplayed_count` on each API container of one page."""
    found = await unplayed_counts(session, user_id, kind, [i.id for i in items])
    for item in items:
        item.unplayed_count = found.get(item.id, 0)
