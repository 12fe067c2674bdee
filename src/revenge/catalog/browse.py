"""Query parameters and helpers shared by every browse endpoint."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.auth import Principal
from revenge.api.deps import CurrentUser, DbSession, RuntimeDep
from revenge.catalog import list_flags
from revenge.catalog import repository as repo
from revenge.catalog.keyset import clamp_limit
from revenge.catalog.people.repository import credits_of
from revenge.catalog.schemas import (
    FileOut,
    Page,
    PersonOut,
    UserStateOut,
    file_out,
    state_out,
)
from revenge.catalog.totals import CatalogTotals
from revenge.errors import BadRequest, NotFound
from revenge.images.repository import item_images
from revenge.images.schemas import ItemImageOut
from revenge.libraries.access import allowed_library_ids

T = TypeVar("T")


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
    totals: CatalogTotals | None = None

    def counter(self, per_user: bool) -> repo.Counter:
        """How this list's total is found: cached, unless it depends on the caller's state."""
        totals = self.totals
        if totals is None:
            return repo.count_rows

        async def count(session: AsyncSession, stmt: Any) -> int:
            return await totals.count(session, stmt, per_user)

        return count

    @property
    def descending(self) -> bool:
        return self.order == "desc"

    async def one(
        self, get: Callable[[AsyncSession, uuid.UUID, set[uuid.UUID] | None], Awaitable[T | None]],
        label: str, item_id: uuid.UUID,
    ) -> T:  # fmt: skip
        """`get(session, id, allowed)`'s row; 404 when it is missing or hidden from the caller."""
        found = await get(self.session, item_id, self.allowed)
        if found is None:
            raise NotFound(f"No {label} {item_id}.")
        return found

    def page(self, items: list[T], total: int, following: str | None = None) -> Page[T]:
        """One page of a listing at this request's limit and offset."""
        return Page(
            items=items, total=total, limit=self.limit, offset=self.offset, next_cursor=following
        )

    async def files(self, item_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[FileOut]]:
        found = await repo.files_for_items(self.session, item_ids)
        admin = self.principal.role == "admin"
        return {i: [file_out(e, admin) for e in entries] for i, entries in found.items()}

    async def people(self, item_kind: str, item_id: uuid.UUID) -> list[PersonOut]:
        """Credits on the item in billing order."""
        return [
            PersonOut(
                person_id=c.person_id,
                name=c.name,
                role=c.role,
                character=c.character,
                photo_id=c.photo_id,
            )
            for c in await credits_of(self.session, item_kind, item_id)
        ]

    async def images(self, item_kind: str, item_id: uuid.UUID) -> list[ItemImageOut]:
        """The item's linked artwork, one image per kind."""
        return [
            ItemImageOut(
                id=image.id, kind=kind, blurhash=image.blurhash,
                dominant_color=image.dominant_color, width=image.width, height=image.height,
            )
            for kind, image in await item_images(self.session, item_kind, item_id)
        ]  # fmt: skip

    async def flag(self, kind: str, items: Sequence[Any]) -> None:
        """Set the caller's `played` and the `missing` flag on a page of playable items."""
        await list_flags.flag_playable(self.session, self.principal.user_id, kind, items)

    async def count_unplayed(self, kind: str, items: Sequence[Any]) -> None:
        """Set the caller's `unplayed_count` on a page of series, seasons or podcasts."""
        await list_flags.count_unplayed(self.session, self.principal.user_id, kind, items)

    async def states(self, item_ids: list[uuid.UUID]) -> dict[uuid.UUID, UserStateOut]:
        found = await repo.user_states(self.session, self.principal.user_id, item_ids)
        return {i: state_out(found.get(i)) for i in item_ids}


# Documented as at least 1; checked by `clamp_limit` so a bad value answers 400, like the
# other query parameters this module checks, and a large one is capped rather than refused.
PageSize = Annotated[int, Query(json_schema_extra={"minimum": 1})]


async def browse_params(
    user: CurrentUser,
    session: DbSession,
    runtime: RuntimeDep,
    library_id: uuid.UUID | None = None,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    limit: PageSize = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Browse:
    allowed = await allowed_library_ids(session, user)
    if cursor is not None and offset:
        raise BadRequest("Use either a cursor or an offset, not both.")
    return Browse(
        user, session, allowed, library_id, order, clamp_limit(limit), offset, cursor,
        CatalogTotals(runtime.cache),
    )  # fmt: skip


BrowseDep = Annotated[Browse, Depends(browse_params)]


# Years as PostgreSQL integers hold them; wider values could never match.
YearFilter = Annotated[int | None, Query(ge=0, le=9999)]
