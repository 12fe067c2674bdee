"""SQL of the outbox, of new items awaiting their announcement, and of sign-in origins."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, exists, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.events.models import OutboxEvent, PendingNewItem, SignInOrigin

# Committed outbox rows wake the relay of every node (NOTIFY is delivered at commit).
OUTBOX_CHANNEL = "revenge_outbox"


async def add(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Write events into the caller's transaction, and wake the relays when it commits."""
    await session.execute(insert(OutboxEvent), list(rows))
    await session.execute(text("SELECT pg_notify(:c, '')"), {"c": OUTBOX_CHANNEL})


async def next_ids(session: AsyncSession, count: int) -> list[int]:
    """Event ids for live-only updates, from the outbox's own sequence (one id order)."""
    rows = await session.execute(
        text("SELECT nextval(pg_get_serial_sequence('event_outbox', 'id'))"
             " FROM generate_series(1, :n)"),
        {"n": count},
    )  # fmt: skip
    return [int(r[0]) for r in rows]


async def take(session: AsyncSession, limit: int) -> list[OutboxEvent]:
    """Remove and return the oldest committed events no other relay is working on.

    The rows stay locked until the caller's transaction ends: if it rolls back (the relay
    died half-way), they are taken again by the next relay.
    """
    claimed = (
        select(OutboxEvent.id)
        .order_by(OutboxEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    stmt = delete(OutboxEvent).where(OutboxEvent.id.in_(claimed)).returning(OutboxEvent)
    rows = list((await session.execute(stmt)).scalars())
    return sorted(rows, key=lambda r: r.id)


async def hold_new_items(
    session: AsyncSession, library_id: uuid.UUID, items: Sequence[tuple[str, uuid.UUID]]
) -> None:
    if items:
        await session.execute(
            insert(PendingNewItem),
            [{"library_id": library_id, "item_kind": k, "item_id": i} for k, i in items],
        )


async def take_new_items(
    session: AsyncSession, library_id: uuid.UUID
) -> list[tuple[str, uuid.UUID]]:
    """Every item created in the library since its last announcement (also by scans that
    stopped part-way), removed from the waiting list."""
    stmt = (
        delete(PendingNewItem)
        .where(PendingNewItem.library_id == library_id)
        .returning(PendingNewItem.item_kind, PendingNewItem.item_id)
    )
    return list(dict.fromkeys((r[0], r[1]) for r in await session.execute(stmt)))


# Per item kind: its title and the title of what it belongs to (series, album, show).
_DESCRIBE: dict[str, str] = {
    "movie": "SELECT id, title, NULL FROM movies WHERE id = ANY(:ids)",
    "series": "SELECT id, title, NULL FROM series WHERE id = ANY(:ids)",
    "episode": "SELECT e.id, e.title, s.title FROM episodes e"
    " JOIN series s ON s.id = e.series_id WHERE e.id = ANY(:ids)",
    "track": "SELECT t.id, t.title, a.title FROM tracks t"
    " JOIN albums a ON a.id = t.album_id WHERE t.id = ANY(:ids)",
    "audiobook": "SELECT id, title, NULL FROM audiobooks WHERE id = ANY(:ids)",
    "podcast_episode": "SELECT e.id, e.title, p.title FROM podcast_episodes e"
    " JOIN podcasts p ON p.id = e.podcast_id WHERE e.id = ANY(:ids)",
}


async def describe(
    session: AsyncSession, kind: str, ids: list[uuid.UUID]
) -> list[tuple[uuid.UUID, str, str | None]]:
    """(id, title, parent title) of the items of one kind that still exist."""
    sql = _DESCRIBE.get(kind)
    if sql is None or not ids:
        return []
    rows = await session.execute(text(sql), {"ids": ids})
    return [(r[0], r[1], r[2]) for r in rows]


async def remember_origins(
    session: AsyncSession, user_id: uuid.UUID, origins: Sequence[tuple[str, str]]
) -> tuple[bool, list[tuple[str, str]]]:
    """Record where a user signed in from: (had signed in before, origins new to them).

    One statement: the subquery in RETURNING sees the table as it was before the insert."""
    before = select(exists().where(SignInOrigin.user_id == user_id)).scalar_subquery()
    stmt = (
        insert(SignInOrigin)
        .values([{"user_id": user_id, "kind": k, "value": v} for k, v in origins])
        .on_conflict_do_nothing()
        .returning(SignInOrigin.kind, SignInOrigin.value, before)
    )
    rows = list(await session.execute(stmt))
    if not rows:  # every origin was known already
        return True, []
    return bool(rows[0][2]), [(r[0], r[1]) for r in rows]


async def forget_origins(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(SignInOrigin).where(SignInOrigin.user_id == user_id))


async def library_name(session: AsyncSession, library_id: uuid.UUID) -> str | None:
    sql = text("SELECT name FROM libraries WHERE id = :id")
    row = await session.execute(sql, {"id": library_id})
    return row.scalar_one_or_none()
