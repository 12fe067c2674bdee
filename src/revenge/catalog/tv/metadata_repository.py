"""SQL the metadata writer needs over series and episodes."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import metadata_repository as shared
from revenge.catalog.tv.models import Episode


async def series_file(session: AsyncSession, series_id: uuid.UUID) -> str | None:
    """A present episode file of the series, to find the series folder from."""
    episodes = select(Episode.id).where(Episode.series_id == series_id)
    return await shared.first_file_path(session, "episode", episodes)


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
