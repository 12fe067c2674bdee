"""SQL for channels, subscriptions and delivery attempts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts.models import User
from revenge.infra.db.rows import add_row, delete_by_id
from revenge.libraries.access import may_see_library
from revenge.notifications.models import (
    NotificationAttempt,
    NotificationChannel,
    NotificationSubscription,
)


async def list_channels(session: AsyncSession) -> list[NotificationChannel]:
    rows = await session.execute(select(NotificationChannel).order_by(NotificationChannel.name))
    return list(rows.scalars())


async def get_channel(session: AsyncSession, channel_id: uuid.UUID) -> NotificationChannel | None:
    return await session.get(NotificationChannel, channel_id)


async def channels_for(session: AsyncSession, event_type: str) -> list[NotificationChannel]:
    rows = await session.execute(
        select(NotificationChannel).where(
            NotificationChannel.enabled.is_(True),
            NotificationChannel.events.any_() == event_type,
        )
    )
    return list(rows.scalars())


async def first_email_channel(session: AsyncSession) -> NotificationChannel | None:
    rows = await session.execute(
        select(NotificationChannel)
        .where(NotificationChannel.enabled.is_(True), NotificationChannel.kind == "email")
        .order_by(NotificationChannel.created_at)
        .limit(1)
    )
    return rows.scalar_one_or_none()


async def add_channel(session: AsyncSession, **values: Any) -> NotificationChannel:
    return await add_row(session, NotificationChannel(**values))


async def delete_channel(session: AsyncSession, channel_id: uuid.UUID) -> bool:
    return await delete_by_id(session, NotificationChannel, channel_id)


async def subscriber_emails(
    session: AsyncSession,
    event_type: str,
    *,
    library_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
) -> list[str]:
    """Emails of enabled users subscribed to `event_type`: only the one user when the event
    is about them, only users who may see the library when it is about one."""
    stmt = (
        select(User.email)
        .join(NotificationSubscription, NotificationSubscription.user_id == User.id)
        .where(
            NotificationSubscription.event_type == event_type,
            User.disabled.is_(False),
            User.email.is_not(None),
        )
    )
    if user_id is not None:
        stmt = stmt.where(User.id == user_id)
    if library_id is not None:
        stmt = stmt.where(may_see_library(library_id))
    return [r[0] for r in await session.execute(stmt) if r[0]]


async def user_subscriptions(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    rows = await session.execute(
        select(NotificationSubscription.event_type)
        .where(NotificationSubscription.user_id == user_id)
        .order_by(NotificationSubscription.event_type)
    )
    return [r[0] for r in rows]


async def replace_subscriptions(
    session: AsyncSession, user_id: uuid.UUID, events: Sequence[str]
) -> None:
    await session.execute(
        delete(NotificationSubscription).where(NotificationSubscription.user_id == user_id)
    )
    if events:
        await session.execute(
            insert(NotificationSubscription),
            [{"user_id": user_id, "event_type": e} for e in events],
        )


async def user_email(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    row = await session.execute(select(User.email).where(User.id == user_id))
    return row.scalar_one_or_none()


async def add_attempt(session: AsyncSession, **values: Any) -> None:
    await session.execute(insert(NotificationAttempt).values(**values))


async def attempts(
    session: AsyncSession,
    channel_id: uuid.UUID,
    limit: int,
    before: tuple[datetime, int] | None,
    event_id: uuid.UUID | None = None,
) -> list[NotificationAttempt]:
    t = NotificationAttempt
    stmt = select(t).where(t.channel_id == channel_id)
    if event_id is not None:
        stmt = stmt.where(t.event_id == event_id)
    if before is not None:
        stmt = stmt.where(tuple_(t.created_at, t.id) < tuple_(before[0], before[1]))
    stmt = stmt.order_by(t.created_at.desc(), t.id.desc()).limit(limit)
    return list((await session.execute(stmt)).scalars())


async def touch_channel(session: AsyncSession, channel_id: uuid.UUID) -> None:
    await session.execute(
        text("UPDATE notification_channels SET updated_at = now() WHERE id = :id"),
        {"id": channel_id},
    )
