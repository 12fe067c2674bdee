"""SQL of collections: video (movies, series, episodes), audio (albums, tracks, audiobooks)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, literal, select, union_all, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.collections.models import COLLECTIONS, MEMBER_TYPES, MEMBERS

__all__ = ["COLLECTIONS", "MEMBERS", "MEMBER_TYPES"]


async def get(session: AsyncSession, kind: str, collection_id: uuid.UUID) -> Any:
    return await session.get(COLLECTIONS[kind], collection_id)


async def listing(
    session: AsyncSession, kind: str, allowed: set[uuid.UUID] | None, library_id: uuid.UUID | None
) -> list[Any]:
    table = COLLECTIONS[kind]
    stmt = select(table).order_by(func.lower(table.name), table.id)
    if allowed is not None:
        stmt = stmt.where(table.library_id.in_(allowed or {uuid.UUID(int=0)}))
    if library_id is not None:
        stmt = stmt.where(table.library_id == library_id)
    return list((await session.execute(stmt)).scalars())


async def add(session: AsyncSession, kind: str, values: dict[str, Any]) -> Any:
    row = COLLECTIONS[kind](**values)
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


async def ensure(
    session: AsyncSession, kind: str, library_id: uuid.UUID, source: str, external_id: str,
    name: str,
) -> uuid.UUID:  # fmt: skip
    """Insert-or-get by (library, source, external id); safe under concurrent callers."""
    table = COLLECTIONS[kind]
    stmt = (
        insert(table)
        .values(library_id=library_id, source=source, external_id=external_id, name=name)
        .on_conflict_do_nothing(
            index_elements=["library_id", "source", "external_id"],
            index_where=table.external_id.isnot(None),
        )
        .returning(table.id)
    )
    created = await session.scalar(stmt)
    if created is not None:
        return uuid.UUID(str(created))
    found = await session.scalar(
        select(table.id).where(
            table.library_id == library_id, table.source == source,
            table.external_id == external_id,
        )
    )  # fmt: skip
    return uuid.UUID(str(found))


def _members_query(kind: str, collection_id: uuid.UUID) -> Any:
    """Both member tables of a collection as one (item_id, position, item_type) relation."""
    parts = []
    for item_type in MEMBER_TYPES[kind]:
        table, column = MEMBERS[item_type]
        parts.append(
            select(
                getattr(table, column).label("item_id"), table.position,
                literal(item_type).label("item_type"),
            ).where(table.collection_id == collection_id)
        )  # fmt: skip
    return union_all(*parts).subquery()


async def members(session: AsyncSession, kind: str, collection_id: uuid.UUID) -> list[Any]:
    """(item_id, position, item_type) rows in order."""
    sub = _members_query(kind, collection_id)
    rows = await session.execute(select(sub).order_by(sub.c.position, sub.c.item_id))
    return list(rows)


async def last_position(session: AsyncSession, kind: str, collection_id: uuid.UUID) -> float:
    sub = _members_query(kind, collection_id)
    return float(await session.scalar(select(func.max(sub.c.position))) or 0.0)


async def add_member(
    session: AsyncSession, collection_id: uuid.UUID, item_type: str, item_id: uuid.UUID,
    position: float,
) -> bool:  # fmt: skip
    """Add one member; False when it was already there."""
    table, column = MEMBERS[item_type]
    stmt = (
        insert(table)
        .values(collection_id=collection_id, position=position, **{column: item_id})
        .on_conflict_do_nothing()
        .returning(table.position)
    )
    return (await session.scalar(stmt)) is not None


async def remove_member(
    session: AsyncSession, collection_id: uuid.UUID, item_type: str, item_id: uuid.UUID
) -> bool:
    table, column = MEMBERS[item_type]
    result = await session.execute(
        delete(table).where(table.collection_id == collection_id, getattr(table, column) == item_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def set_position(
    session: AsyncSession, collection_id: uuid.UUID, item_type: str, item_id: uuid.UUID,
    position: float,
) -> None:  # fmt: skip
    table, column = MEMBERS[item_type]
    await session.execute(
        update(table)
        .where(table.collection_id == collection_id, getattr(table, column) == item_id)
        .values(position=position)
    )
