"""All SQL of playback: files and streams of an item, sessions, failures."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts.models import User
from revenge.images.models import ItemImage
from revenge.libraries.models import MediaFile, MediaStream
from revenge.playback.models import PlaybackSession

ACTIVE = PlaybackSession.ended_at.is_(None)


async def item_files(session: AsyncSession, item_id: uuid.UUID) -> Sequence[MediaFile]:
    """The present files of an item (its versions and parts), in a stable order."""
    stmt = (
        select(MediaFile)
        .where(MediaFile.item_id == item_id, MediaFile.missing_since.is_(None))
        .order_by(MediaFile.version.nulls_first(), MediaFile.part.nulls_first(), MediaFile.path)
    )
    return (await session.scalars(stmt)).all()


async def streams_of(session: AsyncSession, file_ids: list[uuid.UUID]) -> Sequence[MediaStream]:
    stmt = (
        select(MediaStream)
        .where(MediaStream.media_file_id.in_(file_ids))
        .order_by(MediaStream.media_file_id, MediaStream.index)
    )
    return (await session.scalars(stmt)).all()


async def insert_session(session: AsyncSession, values: dict[str, Any]) -> PlaybackSession:
    row = PlaybackSession(**values)
    session.add(row)
    await session.flush()
    return row


async def get_session(session: AsyncSession, session_id: uuid.UUID) -> PlaybackSession | None:
    return await session.get(PlaybackSession, session_id)


# pg_advisory_xact_lock key of the transcoding slots ("play").
_SLOTS_LOCK = 0x706C6179


async def lock_slots(session: AsyncSession) -> None:
    """Serialise slot counting until the transaction ends, on every node."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SLOTS_LOCK})


async def count_active_hls(session: AsyncSession, idle_seconds: float) -> int:
    """HLS sessions still playing, on every node."""
    stmt = select(func.count()).where(
        ACTIVE,
        PlaybackSession.method != "direct",
        PlaybackSession.plan != text("'{}'::jsonb"),  # audio conversions have their own slots
        PlaybackSession.last_seen_at > func.now() - text(f"interval '{int(idle_seconds)} seconds'"),
    )
    return int(await session.scalar(stmt) or 0)


async def end_beyond(session: AsyncSession, user_id: uuid.UUID, keep: int) -> None:
    """End the user's oldest active sessions beyond the newest `keep`."""
    ids = select(PlaybackSession.id).where(ACTIVE, PlaybackSession.user_id == user_id)
    ids = ids.order_by(PlaybackSession.created_at.desc(), PlaybackSession.id).offset(keep)
    await end_where(session, "replaced", PlaybackSession.id.in_(ids.scalar_subquery()))


async def end_where(session: AsyncSession, reason: str, *where: Any) -> list[uuid.UUID]:
    stmt = (
        update(PlaybackSession)
        .where(ACTIVE, *where)
        .values(ended_at=func.now(), ended_reason=reason)
        .returning(PlaybackSession.id)
    )
    return list((await session.scalars(stmt)).all())


async def end_idle(session: AsyncSession, idle_seconds: float) -> list[uuid.UUID]:
    cutoff = func.now() - text(f"interval '{int(idle_seconds)} seconds'")
    return await end_where(session, "idle", PlaybackSession.last_seen_at < cutoff)


async def touch(session: AsyncSession, session_id: uuid.UUID, **values: Any) -> None:
    await session.execute(
        update(PlaybackSession)
        .where(PlaybackSession.id == session_id)
        .values(last_seen_at=func.now(), **values)
    )


async def active_sessions(session: AsyncSession) -> Sequence[Any]:
    stmt = (
        select(PlaybackSession, User.username, MediaFile.path)
        .join(MediaFile, MediaFile.id == PlaybackSession.media_file_id)
        .join(User, User.id == PlaybackSession.user_id)
        .where(ACTIVE)
        .order_by(PlaybackSession.created_at.desc())
    )
    rows: Sequence[Any] = (await session.execute(stmt)).all()
    return rows


async def ended_among(session: AsyncSession, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these session ids are ended or unknown."""
    stmt = select(PlaybackSession.id).where(PlaybackSession.id.in_(ids), ACTIVE)
    live = set((await session.scalars(stmt)).all())
    return set(ids) - live


async def record_file_failure(session: AsyncSession, file_id: uuid.UUID, reason: str) -> None:
    await session.execute(
        update(MediaFile)
        .where(MediaFile.id == file_id)
        .values(playback_failure=reason, playback_failed_at=func.now())
    )


async def failure_context(
    session: AsyncSession, file_id: uuid.UUID, user_id: uuid.UUID
) -> tuple[str, uuid.UUID, str] | None:
    """The user's name, the file's library and its path, for the failure event."""
    row = (
        await session.execute(
            select(User.username, MediaFile.library_id, MediaFile.path)
            .select_from(MediaFile)
            .join(User, User.id == user_id)
            .where(MediaFile.id == file_id)
        )
    ).first()
    return (row[0], row[1], row[2]) if row is not None else None


async def touch_speed(session: AsyncSession, session_id: uuid.UUID, speed: float) -> None:
    """The last measured production speed (media seconds per second), without a heartbeat."""
    await session.execute(
        update(PlaybackSession).where(PlaybackSession.id == session_id).values(speed=speed)
    )


async def item_images(session: AsyncSession, item_id: uuid.UUID) -> list[tuple[str, uuid.UUID]]:
    """(kind, image id) of the item's artwork: poster, backdrop, thumb..."""
    stmt = (
        select(ItemImage.kind, ItemImage.image_id)
        .where(ItemImage.item_id == item_id)
        .order_by(ItemImage.kind)
    )
    return [(kind, image_id) for kind, image_id in (await session.execute(stmt)).all()]
