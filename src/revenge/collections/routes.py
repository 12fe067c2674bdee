"""`/api/v1/collections/{kind}`: read for everyone who sees the library, managed by admins."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from revenge.api.deps import AdminUser, CurrentUser, DbSession
from revenge.collections import service
from revenge.collections.schemas import (
    CollectionCreate,
    CollectionDetail,
    CollectionKind,
    CollectionOut,
    CollectionPatch,
    MemberMove,
    MemberRef,
    MembersAdd,
    MemberType,
)

router = APIRouter(prefix="/api/v1/collections", tags=["collections"])


@router.get("/{kind}")
async def list_collections(
    kind: CollectionKind, user: CurrentUser, session: DbSession, library_id: uuid.UUID | None = None
) -> list[CollectionOut]:
    return await service.listing(session, user, kind, library_id)


@router.get("/{kind}/{collection_id}")
async def get_collection(
    kind: CollectionKind, collection_id: uuid.UUID, user: CurrentUser, session: DbSession
) -> CollectionDetail:
    return await service.detail(session, user, kind, collection_id)


@router.post("/{kind}", status_code=201)
async def create_collection(
    kind: CollectionKind, body: CollectionCreate, admin: AdminUser, session: DbSession
) -> CollectionOut:
    return await service.create(session, kind, body)


@router.patch("/{kind}/{collection_id}")
async def update_collection(
    kind: CollectionKind, collection_id: uuid.UUID, body: CollectionPatch, admin: AdminUser,
    session: DbSession,
) -> CollectionOut:  # fmt: skip
    """Rename, describe, or set the artwork (an image id)."""
    return await service.update(session, admin, kind, collection_id, body)


@router.delete("/{kind}/{collection_id}", status_code=204)
async def delete_collection(
    kind: CollectionKind, collection_id: uuid.UUID, admin: AdminUser, session: DbSession
) -> Response:
    await session.delete(await service.readable(session, admin, kind, collection_id))
    return Response(status_code=204)


@router.post("/{kind}/{collection_id}/items")
async def add_members(
    kind: CollectionKind, collection_id: uuid.UUID, body: MembersAdd, admin: AdminUser,
    session: DbSession,
) -> CollectionDetail:  # fmt: skip
    return await service.add_members(session, admin, kind, collection_id, body.items)


@router.delete("/{kind}/{collection_id}/items/{item_type}/{item_id}", status_code=204)
async def remove_member(
    kind: CollectionKind, collection_id: uuid.UUID, item_type: MemberType, item_id: uuid.UUID,
    admin: AdminUser, session: DbSession,
) -> Response:  # fmt: skip
    ref = MemberRef(type=item_type, id=item_id)
    await service.remove_member(session, admin, kind, collection_id, ref)
    return Response(status_code=204)


@router.post("/{kind}/{collection_id}/items/{item_type}/{item_id}/move", status_code=204)
async def move_member(
    kind: CollectionKind, collection_id: uuid.UUID, item_type: MemberType, item_id: uuid.UUID,
    body: MemberMove, admin: AdminUser, session: DbSession,
) -> Response:  # fmt: skip
    ref = MemberRef(type=item_type, id=item_id)
    await service.move_member(session, admin, kind, collection_id, ref, body.after)
    return Response(status_code=204)
