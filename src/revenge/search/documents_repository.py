"""SQL reading search documents out of the catalogue, by each kind's declared query."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.registry import KINDS
from revenge.search.documents import Document, document_of


async def load(
    session: AsyncSession, item_type: str, ids: list[uuid.UUID] | None
) -> Iterator[Document]:
    """Documents of one type: of the given ids, or all of them (a full rebuild)."""
    source = KINDS[item_type].search
    assert source is not None
    stmt = text(source.sql)
    if ids is not None:
        stmt = text(source.sql + " WHERE m.id IN :ids").bindparams(bindparam("ids", expanding=True))
    rows = (await session.execute(stmt, {"ids": ids} if ids is not None else {})).all()
    return (document_of(item_type, tuple(row)) for row in rows)


async def parents(
    session: AsyncSession, item_type: str, ids: set[uuid.UUID]
) -> list[tuple[str, set[uuid.UUID]]]:
    """The items that the given items belong to (album and artists of tracks, ...)."""
    source = KINDS[item_type].search
    found = []
    for parent_type, sql in source.parents if source else ():
        stmt = text(sql).bindparams(bindparam("ids", expanding=True))
        rows = await session.execute(stmt, {"ids": list(ids)})
        found.append((parent_type, {row[0] for row in rows}))
    return found
