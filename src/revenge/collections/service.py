"""Collection rules: admins manage, users read collections of libraries they may see.

Members must belong to the collection's library. `ensure_collection` and `add_member` are
the calls the metadata feature makes for automatic collections (e.g. TMDb
`belongs_to_collection`); both are idempotent.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.browse.items import ItemKey, describe
from revenge.browse.positions import between
from revenge.catalog.metadata_fields import Membership
from revenge.collections import repository as repo
from revenge.collections.schemas import (
    CollectionCreate,
    CollectionDetail,
    CollectionOut,
    CollectionPatch,
    MemberOut,
    MemberRef,
)
from revenge.errors import NotFound, Unprocessable
from revenge.identity import Principal
from revenge.libraries.access import allowed_library_ids


def out(kind: str, row: Any) -> CollectionOut:
    return CollectionOut(
        id=row.id, kind=kind, library_id=row.library_id, name=row.name,
        description=row.description, source=row.source, external_id=row.external_id,
        image_id=row.image_id, created_at=row.created_at, updated_at=row.updated_at,
    )  # fmt: skip


async def ensure_collection(
    session: AsyncSession, library_id: uuid.UUID, source: str, external_id: str, name: str,
    kind: str = "video",
) -> uuid.UUID:  # fmt: skip
    """The automatic collection for a provider id in a library, created on first use."""
    return await repo.ensure(session, kind, library_id, source, external_id, name)


async def add_member(
    session: AsyncSession, collection_id: uuid.UUID, item_type: str, item_id: uuid.UUID,
    kind: str = "video",
) -> bool:  # fmt: skip
    """Append an item to a collection; False when it was already a member."""
    if item_type not in repo.MEMBER_TYPES[kind]:
        raise Unprocessable(f"A {kind} collection cannot hold {item_type} items.")
    position = await repo.last_position(session, kind, collection_id) + 1.0
    return await repo.add_member(session, collection_id, item_type, item_id, position)


async def collect(session: AsyncSession, library_id: uuid.UUID, found: Membership) -> None:
    """Add an item to the automatic collection its provider named (a film series)."""
    cid = await ensure_collection(session, library_id, found.source, found.external_id, found.name)
    await add_member(session, cid, found.item_kind, found.item_id)


async def readable(session: AsyncSession, user: Principal, kind: str, cid: uuid.UUID) -> Any:
    row = await repo.get(session, kind, cid)
    allowed = await allowed_library_ids(session, user)
    if row is None or (allowed is not None and row.library_id not in allowed):
        raise NotFound(f"No {kind} collection {cid}.")
    return row


async def listing(
    session: AsyncSession, user: Principal, kind: str, library_id: uuid.UUID | None
) -> list[CollectionOut]:
    allowed = await allowed_library_ids(session, user)
    return [out(kind, r) for r in await repo.listing(session, kind, allowed, library_id)]


async def create(session: AsyncSession, kind: str, body: CollectionCreate) -> CollectionOut:
    from revenge.libraries.models import Library

    if await session.get(Library, body.library_id) is None:
        raise NotFound(f"No library {body.library_id}.")
    return out(kind, await repo.add(session, kind, body.model_dump()))


async def update(
    session: AsyncSession, user: Principal, kind: str, cid: uuid.UUID, body: CollectionPatch
) -> CollectionOut:
    row = await readable(session, user, kind, cid)
    changes = body.model_dump(exclude_unset=True)
    if "name" in changes and changes["name"] is None:
        raise Unprocessable("name cannot be null.", field="name")
    for field, value in changes.items():
        setattr(row, field, value)
    await session.flush()
    await session.refresh(row)
    return out(kind, row)


async def detail(
    session: AsyncSession, user: Principal, kind: str, cid: uuid.UUID
) -> CollectionDetail:
    row = await readable(session, user, kind, cid)
    members = await repo.members(session, kind, cid)
    infos = await describe(session, [ItemKey(m.item_type, m.item_id) for m in members])
    items = []
    for m in members:
        info = infos.get(ItemKey(m.item_type, m.item_id))
        if info is not None:
            items.append(
                MemberOut(type=m.item_type, id=m.item_id, title=info.title,
                          subtitle=info.subtitle, year=info.year, position=m.position)
            )  # fmt: skip
    return CollectionDetail(**out(kind, row).model_dump(), items=items)


async def add_members(
    session: AsyncSession, user: Principal, kind: str, cid: uuid.UUID, refs: list[MemberRef]
) -> CollectionDetail:
    """Append items of the collection's own library, in the order given."""
    row = await readable(session, user, kind, cid)
    infos = await describe(session, [ItemKey(r.type, r.id) for r in refs])
    for ref in refs:
        if ref.type not in repo.MEMBER_TYPES[kind]:
            raise Unprocessable(f"A {kind} collection cannot hold {ref.type} items.")
        info = infos.get(ItemKey(ref.type, ref.id))
        if info is None or info.library_id != row.library_id:
            raise NotFound(f"No {ref.type} {ref.id} in this collection's library.")
    for ref in refs:
        await add_member(session, cid, ref.type, ref.id, kind)
    return await detail(session, user, kind, cid)


async def remove_member(
    session: AsyncSession, user: Principal, kind: str, cid: uuid.UUID, ref: MemberRef
) -> None:
    await readable(session, user, kind, cid)
    if ref.type not in repo.MEMBER_TYPES[kind] or not await repo.remove_member(
        session, cid, ref.type, ref.id
    ):
        raise NotFound(f"No {ref.type} {ref.id} in this collection.")


async def move_member(
    session: AsyncSession, user: Principal, kind: str, cid: uuid.UUID, ref: MemberRef,
    after: MemberRef | None,
) -> None:  # fmt: skip
    """Put one member right after another (or first); writes only that member's row."""
    await readable(session, user, kind, cid)
    members = await repo.members(session, kind, cid)
    keys = [(m.item_type, m.item_id) for m in members]
    if (ref.type, ref.id) not in keys:
        raise NotFound(f"No {ref.type} {ref.id} in this collection.")
    others = [m for m in members if (m.item_type, m.item_id) != (ref.type, ref.id)]
    index = 0
    if after is not None:
        index = next((i + 1 for i, m in enumerate(others)
                      if (m.item_type, m.item_id) == (after.type, after.id)), -1)  # fmt: skip
        if index < 0:
            raise NotFound(f"No {after.type} {after.id} in this collection.")
    left = others[index - 1].position if index > 0 else None
    right = others[index].position if index < len(others) else None
    position = between(left, right)
    if position is None:  # no room left between two floats: spread everything out
        for n, m in enumerate(others, start=1):
            await repo.set_position(session, cid, m.item_type, m.item_id, float(n * 2))
        position = float(index * 2 + 1)
    await repo.set_position(session, cid, ref.type, ref.id, position)
