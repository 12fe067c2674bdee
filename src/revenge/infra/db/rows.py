"""The row operations every repository repeats: insert and read back, delete by id."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.db.base import Base

RowT = TypeVar("RowT", bound=Base)


async def add_row(session: AsyncSession, row: RowT) -> RowT:
    """Insert `row` and read back what the database filled in (ids, defaults, timestamps)."""
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


async def delete_by_id(session: AsyncSession, model: type[Base], row_id: Any) -> bool:
    """Delete the row of `model` with this id; False when there was none."""
    id_column = model.__table__.c.id
    result = await session.execute(delete(model).where(id_column == row_id).returning(id_column))
    return result.first() is not None


def upsert(
    model: type[Base],
    key: str,
    values: dict[str, Any],
    *,
    keep: tuple[str, ...] = (),
    **also: Any,
) -> Insert:
    """INSERT `values`, or on a clash on the unique column `key` overwrite the row with them.

    Columns named in `keep` keep their stored value; `also` sets more columns on an update
    only (counters, `updated_at`).
    """
    stmt = insert(model).values(**values)
    overwrite = {c: stmt.excluded[c] for c in values if c != key and c not in keep}
    return stmt.on_conflict_do_update(
        index_elements=[model.__table__.c[key]], set_={**overwrite, **also}
    )
