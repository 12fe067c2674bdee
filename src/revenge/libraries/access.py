"""Which libraries a caller may see: the one rule every feature's service layer applies.

Administrators see every library. A user sees every library while their `all_libraries` flag
is set, otherwise only the libraries granted to them in `library_access`. A library a caller
may not see answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, exists, literal, or_
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts.models import User
from revenge.errors import NotFound
from revenge.identity import Principal
from revenge.libraries import repository as repo
from revenge.libraries.models import LibraryAccess


async def allowed_library_ids(session: AsyncSession, principal: Principal) -> set[uuid.UUID] | None:
    """None means every library; otherwise the set the caller may see."""
    # The role decides, not the key's scopes: a read-only key of an admin still reads all.
    if principal.role == "admin":
        return None
    if principal.libraries is not None:
        return None if principal.libraries.every else set(principal.libraries.granted)
    sees_all = await repo.user_sees_all_libraries(session, principal.user_id)
    if sees_all is None:
        return set()
    if sees_all:
        return None
    return await repo.granted_library_ids(session, principal.user_id)


def library_filter(
    principal: Principal, library_id_column: ColumnElement[uuid.UUID]
) -> ColumnElement[bool]:
    """A WHERE clause limiting rows (by their library id column) to what the caller may see."""
    if principal.role == "admin":
        return literal(True)
    scope = principal.libraries
    if scope is not None:
        return literal(True) if scope.every else library_id_column.in_(sorted(scope.granted))
    return repo.visible_library_clause(principal.user_id, library_id_column)


async def require_library(
    session: AsyncSession, principal: Principal, library_id: uuid.UUID
) -> None:
    """Raise 404 unless the caller may see this library."""
    allowed = await allowed_library_ids(session, principal)
    if allowed is not None and library_id not in allowed:
        raise NotFound("No such library.")


def may_see_library(library_id: uuid.UUID) -> ColumnElement[bool]:
    """A WHERE clause on `users` rows: the users who may see the library (the same rule,
    asked the other way round: who receives news about it)."""
    granted = exists().where(
        LibraryAccess.user_id == User.id, LibraryAccess.library_id == library_id
    )
    return or_(User.role == "admin", User.all_libraries.is_(True), granted)
