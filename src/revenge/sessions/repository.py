"""All SQL of the sessions feature."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from revenge.accounts.models import User
from revenge.infra.db.locks import no_wait_for_disk
from revenge.infra.db.rows import add_row
from revenge.sessions.models import RetiredRefreshToken, Session, SessionEpoch


async def insert_session(session: AsyncSession, values: dict[str, Any]) -> Session:
    return await add_row(session, Session(**values))


ValidationRow = Row[
    uuid.UUID, uuid.UUID, datetime, datetime, str, str, bool, str, int, str, datetime | None
]
EPOCH_ROW = 1


async def validation_row(conn: AsyncConnection, digest: bytes) -> ValidationRow | None:
    """The unrevoked session with this token and its user, share-locked.

    The lock makes a concurrent revoke wait until this read has finished caching its result,
    so the revoke's cache eviction always comes after (see service.validate). Core columns on
    a plain connection: this is the hot path of every uncached request.
    """
    stmt = (
        select(
            Session.id,
            Session.user_id,
            Session.expires_at,
            Session.last_activity_at,
            User.username,
            User.role,
            User.disabled,
            no_wait_for_disk(),
            # Read in the same statement (snapshot) as the session: a cache entry is tagged
            # with the epoch its contents were valid at.
            select(SessionEpoch.value)
            .where(SessionEpoch.id == EPOCH_ROW)
            .scalar_subquery()
            .label("epoch"),
            Session.auth_method,
            User.totp_enabled_at,
        )
        .join(User, User.id == Session.user_id)
        .where(Session.token_hash == digest, Session.revoked_at.is_(None))
        .with_for_update(read=True)
    )
    return (await conn.execute(stmt)).first()


async def current_epoch(conn: AsyncConnection) -> int:
    stmt = select(SessionEpoch.value).where(SessionEpoch.id == EPOCH_ROW)
    return int((await conn.scalar(stmt)) or 0)


async def bump_epoch(session: AsyncSession) -> None:
    """Count a revocation; committed with it, so every node sees both or neither."""
    # An upsert: the row is recreated if it was ever deleted (say, tables emptied).
    stmt = insert(SessionEpoch).values(id=EPOCH_ROW, value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[SessionEpoch.id], set_={"value": SessionEpoch.value + 1}
    )
    await session.execute(stmt)


async def by_refresh_hash(session: AsyncSession, digest: bytes) -> Row[Session, bool] | None:
    stmt = (
        select(Session, User.disabled)
        .join(User, User.id == Session.user_id)
        .where(Session.refresh_token_hash == digest, Session.revoked_at.is_(None))
        .with_for_update(of=Session)
    )
    return (await session.execute(stmt)).first()


async def retired_owner(session: AsyncSession, digest: bytes) -> uuid.UUID | None:
    stmt = select(RetiredRefreshToken.session_id).where(RetiredRefreshToken.token_hash == digest)
    return (await session.execute(stmt)).scalar_one_or_none()


async def rotate(
    session: AsyncSession, row: Session, token: bytes, refresh: bytes, ip: str | None
) -> None:
    session.add(RetiredRefreshToken(token_hash=row.refresh_token_hash, session_id=row.id))
    await session.execute(
        update(Session)
        .where(Session.id == row.id)
        .values(
            token_hash=token,
            previous_refresh_token_hash=row.refresh_token_hash,
            refresh_token_hash=refresh,
            last_activity_at=func.now(),
            ip_address=ip or Session.ip_address,
        )
    )
    await session.flush()


async def revoke(
    session: AsyncSession, reason: str, *conditions: Any
) -> list[tuple[bytes, uuid.UUID]]:
    """Revoke every active session matching the conditions; return (token hash, owner)."""
    stmt = (
        update(Session)
        .where(Session.revoked_at.is_(None), *conditions)
        .values(revoked_at=func.now(), revoked_reason=reason)
        .returning(Session.token_hash, Session.user_id)
    )
    return [(row[0], row[1]) for row in await session.execute(stmt)]


async def active_for_user(session: AsyncSession, user_id: uuid.UUID) -> Sequence[Session]:
    stmt = (
        select(Session)
        .where(
            Session.user_id == user_id,
            Session.revoked_at.is_(None),
            Session.expires_at > func.now(),
        )
        .order_by(Session.last_activity_at.desc())
    )
    return (await session.execute(stmt)).scalars().all()


async def get_active(session: AsyncSession, session_id: uuid.UUID) -> Session | None:
    stmt = select(Session).where(Session.id == session_id, Session.revoked_at.is_(None))
    return (await session.execute(stmt)).scalar_one_or_none()


async def ids_beyond_limit(session: AsyncSession, user_id: uuid.UUID, keep: int) -> list[uuid.UUID]:
    """Active sessions of the user past the newest `keep`, oldest activity first out."""
    stmt = (
        select(Session.id)
        .where(Session.user_id == user_id, Session.revoked_at.is_(None))
        .order_by(Session.created_at.desc(), Session.id.desc())
        .offset(keep)
    )
    return list((await session.execute(stmt)).scalars())


async def active_token_hashes(session: AsyncSession, user_id: uuid.UUID) -> list[bytes]:
    stmt = select(Session.token_hash).where(
        Session.user_id == user_id, Session.revoked_at.is_(None)
    )
    return list((await session.execute(stmt)).scalars())


async def touch(session: AsyncSession, session_id: uuid.UUID, ip: str | None) -> None:
    await session.execute(
        update(Session)
        .where(Session.id == session_id, Session.revoked_at.is_(None))
        .values(last_activity_at=func.now(), ip_address=ip or Session.ip_address)
    )


async def delete_finished(session: AsyncSession, before: datetime, idle_before: datetime) -> int:
    """Forget sessions that expired, idled out or were revoked before the given times."""
    stmt = delete(Session).where(
        or_(
            Session.expires_at < before,
            Session.revoked_at < before,
            Session.last_activity_at < idle_before,
        )
    )
    result = await session.execute(stmt)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def signed_in_before(
    session: AsyncSession, user_id: uuid.UUID, device_id: str | None, ip: str | None
) -> bool:
    """Whether a session of the user came from this device id or address (kept a day after
    it ends), i.e. whether the caller is likely the owner rather than a stranger."""
    matches = [c for c in (
        Session.device_id == device_id if device_id else None,
        Session.ip_address == ip if ip else None,
    ) if c is not None]  # fmt: skip
    if not matches:
        return False
    stmt = select(Session.id).where(Session.user_id == user_id, or_(*matches)).limit(1)
    return (await session.scalar(stmt)) is not None
