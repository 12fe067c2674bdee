"""What every browse endpoint shares: who asks, what they may see, which page in which order."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import list_flags
from revenge.catalog import repository as repo
from revenge.catalog.people.repository import credits_of
from revenge.catalog.registry import KINDS
from revenge.catalog.schemas import (
    FileOut,
    Page,
    PersonOut,
    UserStateOut,
    file_out,
    state_out,
)
from revenge.catalog.totals import CatalogTotals
from revenge.errors import NotFound
from revenge.identity import Principal
from revenge.images.repository import item_images
from revenge.images.schemas import ItemImageOut
from revenge.infra import rows_json

T = TypeVar("T")
R = TypeVar("R")


@cache
def _fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(model.model_fields)


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
    # The model a list answer shows its rows as: its lists read only the columns it has.
    shows: type[BaseModel] | None = None

    @property
    def columns(self) -> frozenset[str] | None:
        """The columns a list reads: the fields of `shows`; all when it is not set."""
        return None if self.shows is None else _fields(self.shows)

    async def total(
        self, per_user: bool, key: str, count: Callable[[], Awaitable[int]]
    ) -> int:  # fmt: skip
        """The list's total, `count()`ed or cached under `key` (its statement and values),
        unless it depends on the caller's state."""
        if self.totals is None or per_user:
            return await count()
        return await self.totals.cached(key, count)

    @property
    def user_id(self) -> uuid.UUID:
        return self.principal.user_id

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

    async def item(self, kind: str, item_id: uuid.UUID) -> Any:
        """The row of a registered kind (`podcast_episode`...); 404 when missing or hidden."""
        model = KINDS[kind].model

        async def get(session: AsyncSession, i: uuid.UUID, allowed: set[uuid.UUID] | None) -> Any:
            return await repo.visible_row(session, model, i, allowed)

        return await self.one(get, kind.replace("_", " "), item_id)

    async def about(
        self, kind: str, item_id: uuid.UUID, *, images: bool = True, people: bool = True,
        played: bool = True,
    ) -> dict[str, Any]:  # fmt: skip
        """What a detail answer shows besides the row: its artwork (`images`), its credits
        (`people`), and for a played item (`played`) its files and the caller's state of it."""
        found: dict[str, Any] = {}
        if images:
            found["images"] = await self.images(kind, item_id)
        if people:
            found["people"] = await self.people(kind, item_id)
        if played:
            found["files"] = (await self.files([item_id])).get(item_id, [])
            found["user_state"] = (await self.states([item_id]))[item_id]
        return found

    def page(self, items: list[T], total: int, following: str | None = None) -> Page[T]:
        """One page of a listing at this request's limit and offset."""
        return Page(
            items=items, total=total, limit=self.limit, offset=self.offset, next_cursor=following
        )

    def listed(
        self, found: tuple[Sequence[R], int, str | None], shape: Callable[[R], T]
    ) -> Page[T]:
        """A page of `found` (rows, total, next cursor), each row shaped for the answer (the
        rows of a keyset list carry the caller's flags, `repo.keyset_rows`)."""
        rows, total, following = found
        return self.page([shape(row) for row in rows], total, following)

    def listed_as(self, found: tuple[Sequence[Row[Any]], int, str | None]) -> bytes:
        """A page of `found`'s rows (a keyset list's: they carry the caller's flags) as JSON,
        each row written as `shows` from its columns by name (`infra.rows_json`: the rows are
        not validated as models); columns it has no field for are left out."""
        rows, total, following = found
        assert self.shows is not None, "a list answered as a model reads only its columns"
        write = rows_json.writer(self.shows, tuple(rows[0]._fields)) if rows else None
        return rows_json.dumps({
            "items": write.dicts(rows) if write else [], "total": total, "limit": self.limit,
            "offset": self.offset, "next_cursor": following,
        })  # fmt: skip

    async def files(self, item_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[FileOut]]:
        found = await repo.files_for_items(self.session, item_ids)
        admin = self.principal.role == "admin"
        return {i: [file_out(e, admin) for e in entries] for i, entries in found.items()}

    async def people(self, item_kind: str, item_id: uuid.UUID) -> list[PersonOut]:
        """Credits on the item in billing order."""
        credits = await credits_of(self.session, item_kind, item_id)
        return [PersonOut.model_validate(c, from_attributes=True) for c in credits]

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
