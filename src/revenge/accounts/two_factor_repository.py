"""All SQL of two-factor sign-in: the sealed TOTP secret on the user and recovery codes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts.models import RecoveryCode, User


async def set_secret(
    session: AsyncSession, user_id: uuid.UUID, sealed: str | None, enabled: bool
) -> None:
    enabled_at = datetime.now(UTC) if enabled else None
    stmt = update(User).where(User.id == user_id)
    values = {
        "totp_secret_encrypted": sealed,
        "totp_enabled_at": enabled_at,
        "totp_last_step": None,
    }
    await session.execute(stmt.values(**values))


async def claim_step(session: AsyncSession, user_id: uuid.UUID, step: int) -> bool:
    """Record `step` as used; False when it (or a later one) was used already."""
    last = func.coalesce(User.totp_last_step, -1)
    stmt = (
        update(User)
        .where(User.id == user_id, last < step)
        .values(totp_last_step=step)
        .returning(User.id)
    )
    return (await session.execute(stmt)).first() is not None


async def enable(session: AsyncSession, user_id: uuid.UUID) -> None:
    stmt = update(User).where(User.id == user_id).values(totp_enabled_at=func.now())
    await session.execute(stmt)


async def replace_codes(session: AsyncSession, user_id: uuid.UUID, hashes: list[bytes]) -> None:
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    session.add_all(RecoveryCode(user_id=user_id, code_hash=h) for h in hashes)
    await session.flush()


async def use_code(session: AsyncSession, user_id: uuid.UUID, code_hash: bytes) -> bool:
    """Mark one unused code as used; False when there is no such unused code."""
    stmt = (
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == code_hash,
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=func.now())
        .returning(RecoveryCode.id)
    )
    return (await session.execute(stmt)).first() is not None


async def codes_left(session: AsyncSession, user_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
    )
    return int((await session.scalar(stmt)) or 0)
