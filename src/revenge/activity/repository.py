"""SQL for the activity log: batched COPY writes, keyset-paginated reads, retention."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from psycopg import AsyncConnection
from sqlalchemy import Select, not_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.activity.models import ActivityEntry
from revenge.infra.db.engine import Database

if TYPE_CHECKING:
    from revenge.activity.service import Entry

_COPY = (
    "COPY activity_log (user_id, module, action, resource_type, resource_id, details,"
    " ip_address, user_agent, success, error, created_at) FROM STDIN"
)


def _text(value: object) -> str:
    """One field in COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    raw = json.dumps(value, default=str) if isinstance(value, dict) else str(value)
    if "\\" in raw or "\t" in raw or "\n" in raw or "\r" in raw:
        raw = (
            raw.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        )
    return raw


def _line(e: Entry) -> str:
    fields = (
        e.user_id,
        e.module,
        e.action,
        e.resource_type,
        e.resource_id,
        e.details,
        e.ip_address,
        e.user_agent,
        e.success,
        e.error,
        e.created_at,
    )
    return "\t".join([_text(f) for f in fields]) + "\n"


async def copy_entries(db: Database, entries: list[Entry]) -> None:
    """Write a batch in one COPY (one round trip per batch, in its own transaction)."""
    data = "".join([_line(e) for e in entries]).encode()
    async with db.engine.begin() as conn:
        raw = await conn.get_raw_connection()
        pg = cast(AsyncConnection[Any], raw.driver_connection)
        async with pg.cursor() as cur, cur.copy(_COPY) as copy:
            await copy.write(data)


@dataclass(frozen=True)
class ActivityFilter:
    user_id: uuid.UUID | None = None
    module: str | None = None
    action: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    failures_only: bool = False


def _filtered(f: ActivityFilter) -> Select[ActivityEntry]:
    t = ActivityEntry
    stmt = select(t)
    if f.user_id is not None:
        stmt = stmt.where(t.user_id == f.user_id)
    if f.module is not None:
        stmt = stmt.where(t.module == f.module)
    if f.action is not None:
        stmt = stmt.where(t.action == f.action)
    if f.resource_type is not None:
        stmt = stmt.where(t.resource_type == f.resource_type)
    if f.resource_id is not None:
        stmt = stmt.where(t.resource_id == f.resource_id)
    if f.since is not None:
        stmt = stmt.where(t.created_at >= f.since)
    if f.until is not None:
        stmt = stmt.where(t.created_at < f.until)
    if f.failures_only:
        stmt = stmt.where(not_(t.success))
    return stmt


async def query(
    session: AsyncSession,
    f: ActivityFilter,
    limit: int,
    before: tuple[datetime, int] | None = None,
) -> list[ActivityEntry]:
    """Newest first; `before` is the (created_at, id) of the last entry of the previous page."""
    t = ActivityEntry
    stmt = _filtered(f)
    if before is not None:
        stmt = stmt.where(tuple_(t.created_at, t.id) < tuple_(before[0], before[1]))
    stmt = stmt.order_by(t.created_at.desc(), t.id.desc()).limit(limit)
    return list((await session.execute(stmt)).scalars())


async def delete_older_than(session: AsyncSession, cutoff: datetime, batch: int) -> int:
    """Delete up to `batch` entries older than `cutoff` (oldest first); rows deleted."""
    result = await session.execute(
        text(
            "DELETE FROM activity_log WHERE id IN (SELECT id FROM activity_log"
            " WHERE created_at < :cutoff ORDER BY created_at LIMIT :batch)"
        ),
        {"cutoff": cutoff, "batch": batch},
    )
    return int(getattr(result, "rowcount", 0) or 0)
