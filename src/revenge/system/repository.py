"""Queries behind the health and system endpoints."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def has_any_user(session: AsyncSession) -> bool:
    result = await session.execute(text("SELECT EXISTS (SELECT 1 FROM users)"))
    return bool(result.scalar_one())


async def job_queue_installed(session: AsyncSession) -> bool:
    result = await session.execute(text("SELECT to_regclass('pgqueuer') IS NOT NULL"))
    return bool(result.scalar_one())
