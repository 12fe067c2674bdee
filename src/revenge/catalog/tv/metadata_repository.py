"""SQL the metadata writer needs over series and episodes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import metadata_repository as shared
from revenge.catalog.tv.models import Episode, Series


async def series(session: AsyncSession, series_id: uuid.UUID) -> Series | None:
    return await session.get(Series, series_id)


async def episode(session: AsyncSession, episode_id: uuid.UUID) -> Episode | None:
    return await session.get(Episode, episode_id)


async def series_file(session: AsyncSession, series_id: uuid.UUID) -> str | None:
    """A present episode file of the series, to find the series folder from."""
    episodes = select(Episode.id).where(Episode.series_id == series_id)
    return await shared.first_file_path(session, "episode", episodes)


async def episode_file(session: AsyncSession, episode_id: uuid.UUID) -> str | None:
    return await shared.main_file_path(session, "episode", episode_id)


async def save_series(session: AsyncSession, series_id: uuid.UUID, values: dict[str, Any]) -> None:
    """Set the given columns and stamp the fetch time."""
    await session.execute(
        update(Series)
        .where(Series.id == series_id)
        .values(**values, metadata_fetched_at=func.now(), updated_at=func.now())
    )


async def save_episode(
    session: AsyncSession, episode_id: uuid.UUID, values: dict[str, Any]
) -> None:
    await session.execute(
        update(Episode)
        .where(Episode.id == episode_id)
        .values(**values, metadata_fetched_at=func.now(), updated_at=func.now())
    )


async def episodes_without_metadata(session: AsyncSession, series_id: uuid.UUID) -> list[Episode]:
    """Episodes of the series that no fetch of their own has described yet."""
    stmt = select(Episode).where(
        Episode.series_id == series_id,
        or_(Episode.metadata_status.is_(None), Episode.metadata_status.in_(("unmatched",))),
    )
    return list((await session.execute(stmt)).scalars())


async def episode_ids(session: AsyncSession, series_id: uuid.UUID) -> list[uuid.UUID]:
    stmt = select(Episode.id).where(Episode.series_id == series_id).order_by(Episode.id)
    return list((await session.execute(stmt)).scalars())


async def stale_series(
    session: AsyncSession, before: datetime, limit: int
) -> Sequence[tuple[uuid.UUID, datetime | None]]:
    return await _stale(session, Series, before, limit)


async def stale_episodes(
    session: AsyncSession, before: datetime, limit: int
) -> Sequence[tuple[uuid.UUID, datetime | None]]:
    return await _stale(session, Episode, before, limit)


async def _stale(
    session: AsyncSession, model: type[Series] | type[Episode], before: datetime, limit: int
) -> Sequence[tuple[uuid.UUID, datetime | None]]:
    fetched = model.metadata_fetched_at
    stmt = (
        select(model.id, fetched)
        .where(fetched.is_(None) | (fetched < before))
        .order_by(fetched.asc().nulls_first())
        .limit(limit)
    )
    return [(i, t) for i, t in (await session.execute(stmt)).all()]
