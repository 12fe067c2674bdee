"""SQL shared by the per-kind metadata writers: an item's files and its library's roots."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.libraries.models import Library, LibraryPath, MediaFile

M = TypeVar("M")


async def main_file_path(session: AsyncSession, kind: str, item_id: uuid.UUID) -> str | None:
    """The item's main present file (first part of the first version), if any."""
    return await first_file_path(session, kind, [item_id])


async def first_file_path(session: AsyncSession, kind: str, item_ids: Any) -> str | None:
    """The first present main file of any of `item_ids` (a list or a subquery)."""
    stmt = (
        select(MediaFile.path)
        .where(
            MediaFile.item_kind == kind,
            MediaFile.item_id.in_(item_ids),
            MediaFile.extra_type.is_(None),
            MediaFile.missing_since.is_(None),
        )
        .order_by(MediaFile.part.asc().nulls_first(), MediaFile.path)
        .limit(1)
    )
    path: str | None = (await session.execute(stmt)).scalar_one_or_none()
    return path


async def library_roots(session: AsyncSession, library_id: uuid.UUID) -> list[Path]:
    rows = await session.execute(
        select(LibraryPath.path).where(LibraryPath.library_id == library_id)
    )
    return [Path(p) for p in rows.scalars()]


async def library_options(
    session: AsyncSession, library_id: uuid.UUID
) -> tuple[dict[str, Any], str | None]:
    """The library's scan settings and preferred metadata language."""
    row = (
        await session.execute(
            select(Library.scan_settings, Library.preferred_language).where(
                Library.id == library_id
            )
        )
    ).first()
    return (dict(row[0] or {}), row[1]) if row else ({}, None)


async def edit_item(
    session: AsyncSession, model: Any, item_id: uuid.UUID, values: dict[str, Any]
) -> None:
    """Set the given columns of a catalogue row (a person's edit: the fetch time is left
    alone)."""
    stmt = update(model).where(model.id == item_id).values(**values, updated_at=func.now())
    await session.execute(stmt)


async def get_row(session: AsyncSession, model: type[M], item_id: uuid.UUID) -> M | None:
    return await session.get(model, item_id)


async def save_fetched(
    session: AsyncSession, model: Any, item_id: uuid.UUID, values: dict[str, Any]
) -> None:
    """Set the given columns of a catalogue row and stamp the fetch time."""
    stmt = (
        update(model)
        .where(model.id == item_id)
        .values(**values, metadata_fetched_at=func.now(), updated_at=func.now())
    )
    await session.execute(stmt)


async def stale(
    session: AsyncSession, model: Any, before: datetime, limit: int
) -> Sequence[tuple[uuid.UUID, datetime | None]]:
    """Rows of `model` never fetched, or fetched before the cutoff, oldest first."""
    fetched = model.metadata_fetched_at
    stmt = (
        select(model.id, fetched)
        .where(fetched.is_(None) | (fetched < before))
        .order_by(fetched.asc().nulls_first())
        .limit(limit)
    )
    return [(i, t) for i, t in (await session.execute(stmt)).all()]
