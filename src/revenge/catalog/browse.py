"""Query parameters and helpers shared by every browse endpoint."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.auth import Principal
from revenge.api.deps import CurrentUser, DbSession
from revenge.catalog import repository as repo
from revenge.catalog.keyset import clamp_limit
from revenge.catalog.schemas import FileOut, UserStateOut, file_out, state_out
from revenge.errors import BadRequest
from revenge.libraries.access import allowed_library_ids


@dataclass
class Browse:
    """Who asks, what they may see, and which page in which order."""

    principal: Principal
    session: AsyncSession
    allowed: set[uuid.UUID] | None
    library_id: uuid.UUID | None
    order: str
    limit: int
    offset: int
    cursor: str | None = None

    @property
    def descending(self) -> bool:
        return self.order == "desc"

    async def files(self, item_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[FileOut]]:
        found = await repo.files_for_items(self.session, item_ids)
        admin = self.principal.role == "admin"
        return {i: [file_out(e, admin) for e in entries] for i, entries in found.items()}

    async def states(self, item_ids: list[uuid.UUID]) -> dict[uuid.UUID, UserStateOut]:
        found = await repo.user_states(self.session, self.principal.user_id, item_ids)
        return {i: state_out(found.get(i)) for i in item_ids}


async def browse_params(
    user: CurrentUser,
    session: DbSession,
    library_id: uuid.UUID | None = None,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    limit: int = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Browse:
    allowed = await allowed_library_ids(session, user)
    if cursor is not None and offset:
        raise BadRequest("Use either a cursor or an offset, not both.")
    return Browse(user, session, allowed, library_id, order, clamp_limit(limit), offset, cursor)


BrowseDep = Annotated[Browse, Depends(browse_params)]


def sort_param(choices: dict[str, Any], default: str) -> Any:
    """A `sort` query parameter limited to the given names, listed in the schema."""
    return Query(
        default, pattern="^(" + "|".join(choices) + ")$", json_schema_extra={"enum": list(choices)}
    )


# Years as PostgreSQL integers hold them; wider values could never match.
YearFilter = Annotated[int | None, Query(ge=0, le=9999)]
