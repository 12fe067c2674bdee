"""Which libraries a caller may see, for every feature's service layer to apply.

Administrators see everything. A user sees every library while `all_libraries` is set,
otherwise only those listed in `library_access`. A library a caller may not see answers
404, exactly like one that does not exist.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, exists, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts.models import User
from revenge.api.auth import Principal
from revenge.errors import NotFound
from revenge.libraries.models import LibraryAccess


async def visible_library_ids(
    session: AsyncSession, principal: Principal
) -> frozenset[uuid.UUID] | None:
    """None when the caller sees every library, else the set it may see."""
    if principal.role == "admin":
        return None
    row = (
        await session.execute(select(User.all_libraries).where(User.id == principal.user_id))
    ).scalar_one_or_none()
    if row is None:
        return frozenset()
    if row:
        return None
    ids = await session.execute(
        select(LibraryAccess.library_id).where(LibraryAccess.user_id == principal.user_id)
    )
    return frozenset(ids.scalars())


def library_filter(
    principal: Principal, library_id_column: ColumnElement[uuid.UUID]
) -> ColumnElement[bool]:
    """A WHERE clause limiting rows (by their library id column) to what the caller may see."""
    if principal.role == "admin":
        return literal(True)
    granted = exists().where(
        LibraryAccess.user_id == principal.user_id,
        LibraryAccess.library_id == library_id_column,
    )
    all_visible = exists().where(User.id == principal.user_id, User.all_libraries.is_(True))
    return or_(all_visible, granted)


async def require_library(
    session: AsyncSession, principal: Principal, library_id: uuid.UUID
) -> None:
    """Raise 404 unless the caller may see this library."""
    visible = await visible_library_ids(session, principal)
    if visible is not None and library_id not in visible:
        raise NotFound("No such library.")
