"""Per-row flags every list carries, so a client needs no request per item.

- `played` / `missing` on playable items (movie, episode, track, audiobook, podcast episode):
  whether the caller has played it, and whether all of its files are gone from disk (an item
  whose file disappeared stays listed until it is restored or the library is cleaned up).
- `unplayed_count` on containers (series, season, podcast): how many of their playable items
  the caller has not played.

One query per page, over the ids of that page.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

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
