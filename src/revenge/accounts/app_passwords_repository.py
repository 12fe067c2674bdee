"""SQL of app passwords."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts.models import AppPassword, User
from revenge.infra.db.rows import add_row


async def insert(session: AsyncSession, row: AppPassword) -> AppPassword:
    return await add_row(session, row)


async def list_for(session: AsyncSession, user_id: uuid.UUID) -> Sequence[AppPassword]:
    rows = await session.execute(
        select(AppPassword).where(AppPassword.user_id == user_id).order_by(AppPassword.created_at)
    )
    return rows.scalars().all()


async def count_for(session: AsyncSession, user_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(AppPassword.user_id == user_id)
    return int(await session.scalar(stmt) or 0)


async def remove(session: AsyncSession, user_id: uuid.UUID, app_id: uuid.UUID) -> bool:
    result = await session.execute(
        delete(AppPassword).where(AppPassword.user_id == user_id, AppPassword.id == app_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def enabled_user(session: AsyncSession, username: str) -> User | None:
    """An enabled account by name, case-insensitively."""
    stmt = select(User).where(func.lower(User.username) == username.strip().lower())
    user = (await session.execute(stmt)).scalar_one_or_none()
    return user if user is not None and not user.disabled else None


async def touch(session: AsyncSession, app_id: uuid.UUID) -> None:
    await session.execute(
        update(AppPassword).where(AppPassword.id == app_id).values(last_used_at=func.now())
    )
