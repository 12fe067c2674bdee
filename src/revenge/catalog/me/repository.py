"""SQL of the caller's home rows."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.registry import KINDS
from revenge.catalog.repository import main_duration, scoped
from revenge.catalog.state.models import UserItemState
from revenge.catalog.state.repository import PLAYABLE
from revenge.catalog.tv.models import Episode

# What "recently added" lists: the top-level item of every module.
TOP_LEVEL = KINDS.where(lambda k: k.top_level)
# Progress between these fractions of the running time counts as "in progress".
RESUME_FROM = 0.05
RESUME_UNTIL = 0.90


async def recently_added(
    session: AsyncSession, allowed: set[uuid.UUID] | None, limit: int
) -> list[tuple[str, Any]]:
    """Newest items across modules; each module's newest `limit` rows, merged."""
    found: list[tuple[str, Any]] = []
    for kind, model in ((k.name, k.model) for k in TOP_LEVEL):
        stmt = scoped(select(model), model.library_id, allowed, None)
        stmt = stmt.order_by(model.created_at.desc(), model.id.desc()).limit(limit)
        found += [(kind, row) for row in (await session.execute(stmt)).scalars()]
    found.sort(key=lambda pair: (pair[1].created_at, pair[1].id), reverse=True)
    return found[:limit]


async def in_progress(
    session: AsyncSession, user_id: uuid.UUID, allowed: set[uuid.UUID] | None, limit: int
) -> list[tuple[UserItemState, float]]:
    """States with progress inside the resume window, most recently updated first."""
    duration = main_duration(UserItemState.item_id)
    stmt = scoped(
        select(UserItemState, duration.label("duration")),
        UserItemState.library_id, allowed, None,
    ).where(
        UserItemState.user_id == user_id,
        UserItemState.item_kind.in_(list(PLAYABLE)),
        UserItemState.position_seconds >= duration * RESUME_FROM,
        UserItemState.position_seconds < duration * RESUME_UNTIL,
    )  # fmt: skip
    stmt = stmt.order_by(UserItemState.updated_at.desc()).limit(limit)
    return [(s, float(d)) for s, d in (await session.execute(stmt)).all()]


async def items_by_id(
    session: AsyncSession, kind: str, ids: list[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    model = KINDS[kind].model
    rows = await session.execute(select(model).where(model.id.in_(ids)))
    return {row.id: row for row in rows.scalars()}


_NEXT_UP = text("""
WITH watched AS (
    SELECT e.series_id,
           max(ARRAY[e.season_number, coalesce(e.number, 0)]) AS upto,
           max(st.last_played_at) AS last_played
    FROM user_item_state st JOIN episodes e ON e.id = st.item_id
    WHERE st.user_id = :user_id AND st.item_kind = 'episode' AND st.played
      AND e.season_number > 0
    GROUP BY e.series_id
)
SELECT nx.id FROM watched w
CROSS JOIN LATERAL (
    SELECT e.id FROM episodes e
    WHERE e.series_id = w.series_id AND e.season_number > 0
      AND ARRAY[e.season_number, coalesce(e.number, 0)] > w.upto
      AND (CAST(:all_libraries AS boolean) OR e.library_id = ANY(CAST(:allowed AS uuid[])))
      AND NOT EXISTS (
          SELECT 1 FROM user_item_state s2
          WHERE s2.user_id = :user_id AND s2.item_kind = 'episode' AND s2.item_id = e.id
            AND s2.played)
    ORDER BY e.season_number, e.number NULLS LAST, e.air_date NULLS LAST, e.id
    LIMIT 1
) nx
ORDER BY w.last_played DESC NULLS LAST, nx.id
LIMIT :limit
""")


async def next_up(
    session: AsyncSession, user_id: uuid.UUID, allowed: set[uuid.UUID] | None, limit: int
) -> list[Episode]:
    """Per series with played episodes: the first unplayed episode after the furthest played."""
    params = {
        "user_id": user_id, "all_libraries": allowed is None, "allowed": list(allowed or ()),
        "limit": limit,
    }  # fmt: skip
    ids = [row[0] for row in await session.execute(_NEXT_UP, params)]
    found = await items_by_id(session, "episode", ids)
    return [found[i] for i in ids if i in found]
