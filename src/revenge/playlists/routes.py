"""`/api/v1/playlists/{kind}`: the caller's video and audio playlists."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from revenge.api.deps import CurrentUser, DbSession
from revenge.playlists import service
from revenge.playlists.schemas import (
    ItemMove,
    ItemsAdd,
    PlaylistCreate,
    PlaylistDetail,
    PlaylistKind,
    PlaylistOut,
    PlaylistPatch,
)

router = APIRouter(prefix="/api/v1/playlists", tags=["playlists"])


@router.post("", status_code=201)
async def create_playlist(
    body: PlaylistCreate, user: CurrentUser, session: DbSession
) -> PlaylistOut:
    """A new playlist owned by the caller (an owner given in the body is ignored)."""
    return await service.create(session, user, body)


@router.get("/{kind}")
async def list_playlists(
    kind: PlaylistKind, user: CurrentUser, session: DbSession,
    include_public: Annotated[bool, Query(description="Also other users' public ones.")] = False,
) -> list[PlaylistOut]:  # fmt: skip
    return await service.listing(session, user, kind, include_public)


@router.get("/{kind}/{playlist_id}")
async def get_playlist(
    kind: PlaylistKind, playlist_id: uuid.UUID, user: CurrentUser, session: DbSession
) -> PlaylistDetail:
    """A playlist with its items in order (items the caller may not see are left out)."""
    return await service.detail(session, user, kind, playlist_id)


@router.patch("/{kind}/{playlist_id}")
async def update_playlist(
    kind: PlaylistKind, playlist_id: uuid.UUID, body: PlaylistPatch, user: CurrentUser,
    session: DbSession,
) -> PlaylistOut:  # fmt: skip
    """Rename, describe, or make public/private."""
    return await service.update(session, user, kind, playlist_id, body)


@router.delete("/{kind}/{playlist_id}", status_code=204)
async def delete_playlist(
    kind: PlaylistKind, playlist_id: uuid.UUID, user: CurrentUser, session: DbSession
) -> Response:
    await service.delete(session, user, kind, playlist_id)
    return Response(status_code=204)


@router.post("/{kind}/{playlist_id}/items")
async def add_items(
    kind: PlaylistKind, playlist_id: uuid.UUID, body: ItemsAdd, user: CurrentUser,
    session: DbSession,
) -> PlaylistDetail:  # fmt: skip
    """Append items at the end, in the order given."""
    return await service.add_items(session, user, kind, playlist_id, body.items)


@router.delete("/{kind}/{playlist_id}/items/{entry_id}", status_code=204)
async def remove_item(
    kind: PlaylistKind, playlist_id: uuid.UUID, entry_id: uuid.UUID, user: CurrentUser,
    session: DbSession,
) -> Response:  # fmt: skip
    await service.remove_item(session, user, kind, playlist_id, entry_id)
    return Response(status_code=204)


@router.post("/{kind}/{playlist_id}/items/{entry_id}/move", status_code=204)
async def move_item(
    kind: PlaylistKind, playlist_id: uuid.UUID, entry_id: uuid.UUID, body: ItemMove,
    user: CurrentUser, session: DbSession,
) -> Response:  # fmt: skip
    """Move one entry right after another one, or first (`after`: null)."""
    await service.move_item(session, user, kind, playlist_id, entry_id, body.after)
    return Response(status_code=204)
