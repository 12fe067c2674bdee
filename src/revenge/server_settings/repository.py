"""SQL for stored server settings."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.server_settings.models import ServerSetting

NOTIFY_CHANNEL = "revenge_settings"


async def load_all(session: AsyncSession) -> dict[str, Any]:
    rows = await session.execute(select(ServerSetting.key, ServerSetting.value))
    return {key: value for key, value in rows.tuples()}


async def get(session: AsyncSession, key: str) -> tuple[bool, Any]:
    """(found, value) of one stored key, locked for update."""
    row = await session.execute(
        select(ServerSetting.value).where(ServerSetting.key == key).with_for_update()
    )
    found = row.first()
    return (found is not None, found[0] if found else None)


async def upsert(session: AsyncSession, key: str, value: Any, user_id: uuid.UUID | None) -> None:
    stmt = insert(ServerSetting).values(key=key, value=value, updated_by=user_id)
    stmt = stmt.on_conflict_do_update(
        index_elements=[ServerSetting.key],
        set_={"value": stmt.excluded.value, "updated_by": user_id, "updated_at": text("now()")},
    )
    await session.execute(stmt)


async def remove(session: AsyncSession, key: str) -> bool:
    result = await session.execute(
        delete(ServerSetting).where(ServerSetting.key == key).returning(ServerSetting.key)
    )
    return result.first() is not None


async def notify_changed(session: AsyncSession, key: str) -> None:
    """Tell every node (delivered when the transaction commits, never on rollback)."""
    await session.execute(
        text("SELECT pg_notify(:channel, :key)"), {"channel": NOTIFY_CHANNEL, "key": key}
    )
