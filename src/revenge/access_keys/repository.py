"""All SQL of personal access keys."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from revenge.access_keys.models import AccessKey
from revenge.accounts.models import User
from revenge.infra.db.locks import no_wait_for_disk
from revenge.infra.db.rows import add_row


async def insert(session: AsyncSession, key: AccessKey) -> AccessKey:
    return await add_row(session, key)


async def count_active(session: AsyncSession, user_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(AccessKey.user_id == user_id, AccessKey.revoked_at.is_(None))
    return int((await session.execute(stmt)).scalar_one())


async def list_active(session: AsyncSession, user_id: uuid.UUID) -> Sequence[AccessKey]:
    stmt = (
        select(AccessKey)
        .where(AccessKey.user_id == user_id, AccessKey.revoked_at.is_(None))
        .order_by(AccessKey.created_at.desc())
    )
    return (await session.execute(stmt)).scalars().all()


async def get_active(
    session: AsyncSession, user_id: uuid.UUID, key_id: uuid.UUID
) -> AccessKey | None:
    stmt = select(AccessKey).where(
        AccessKey.id == key_id, AccessKey.user_id == user_id, AccessKey.revoked_at.is_(None)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def revoke(session: AsyncSession, user_id: uuid.UUID, key_id: uuid.UUID) -> bytes | None:
    stmt = (
        update(AccessKey)
        .where(AccessKey.id == key_id, AccessKey.user_id == user_id, AccessKey.revoked_at.is_(None))
        .values(revoked_at=func.now())
        .returning(AccessKey.key_hash)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


KeyRow = Row[uuid.UUID, uuid.UUID, list[str], datetime | None, str, str, bool, str]


async def validation_row(conn: AsyncConnection, digest: bytes) -> KeyRow | None:
    """The unrevoked key with this hash and its user, share-locked (see sessions.service)."""
    stmt = (
        select(
            AccessKey.id,
            AccessKey.user_id,
            AccessKey.scopes,
            AccessKey.expires_at,
            User.username,
            User.role,
            User.disabled,
            no_wait_for_disk(),
        )
        .join(User, User.id == AccessKey.user_id)
        .where(AccessKey.key_hash == digest, AccessKey.revoked_at.is_(None))
        .with_for_update(read=True)
    )
    return (await conn.execute(stmt)).first()


async def active_hashes(session: AsyncSession, user_id: uuid.UUID) -> list[bytes]:
    stmt = select(AccessKey.key_hash).where(
        AccessKey.user_id == user_id, AccessKey.revoked_at.is_(None)
    )
    return list((await session.execute(stmt)).scalars())


async def touch(session: AsyncSession, key_id: uuid.UUID) -> None:
    await session.execute(
        update(AccessKey).where(AccessKey.id == key_id).values(last_used_at=func.now())
    )
