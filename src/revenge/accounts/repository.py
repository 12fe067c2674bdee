"""All SQL of users, their library access and their OIDC links."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import exists, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts.models import OidcLink, User
from revenge.infra.db.rows import add_row

# Serialises first-run setup and last-admin checks across nodes (pg_advisory_xact_lock key).
ACCOUNTS_LOCK = 0x5245_5655_5345_5253


async def lock_accounts(session: AsyncSession) -> None:
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ACCOUNTS_LOCK})


async def any_user(session: AsyncSession) -> bool:
    return bool((await session.execute(select(exists().select_from(User)))).scalar())


async def get(session: AsyncSession, user_id: uuid.UUID, *, lock: bool = False) -> User | None:
    stmt = select(User).where(User.id == user_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def by_username(session: AsyncSession, username: str) -> User | None:
    stmt = select(User).where(func.lower(User.username) == username.lower())
    return (await session.execute(stmt)).scalar_one_or_none()


async def username_taken(session: AsyncSession, username: str) -> bool:
    return await by_username(session, username) is not None


async def list_users(session: AsyncSession, limit: int, offset: int) -> Sequence[User]:
    stmt = select(User).order_by(func.lower(User.username)).limit(limit).offset(offset)
    return (await session.execute(stmt)).scalars().all()


async def count_users(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(User))).scalar_one())


async def insert(session: AsyncSession, user: User) -> User:
    return await add_row(session, user)


async def delete_user(session: AsyncSession, user: User) -> None:
    await session.delete(user)
    await session.flush()


async def other_active_admins(session: AsyncSession, user_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(
        User.role == "admin", User.disabled.is_(False), User.id != user_id
    )
    return int((await session.execute(stmt)).scalar_one())


async def link_for(session: AsyncSession, issuer: str, subject: str) -> OidcLink | None:
    stmt = select(OidcLink).where(OidcLink.issuer == issuer, OidcLink.subject == subject)
    return (await session.execute(stmt)).scalar_one_or_none()


async def add_link(session: AsyncSession, link: OidcLink) -> None:
    session.add(link)
    await session.flush()
