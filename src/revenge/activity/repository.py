"""SQL for the activity log."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.activity.models import ActivityEntry


async def insert(session: AsyncSession, entry: ActivityEntry) -> None:
    session.add(entry)
    await session.flush()
