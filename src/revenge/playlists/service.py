"""Playlist rules: owners write, public playlists are readable by all, others see a 404.

Entries the reader may not see (items of libraries not granted to them) are left out of a
public playlist rather than revealed. Positions are fractional: moving an entry writes
only that entry, except on the rare move that finds no room left between two neighbours.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.browse.items import AUDIO_TYPES, VIDEO_TYPES, ItemKey, describe, visible
from revenge.browse.positions import between
from revenge.errors import Forbidden, NotFound, Unprocessable
from revenge.identity import Principal
from revenge.libraries.access import allowed_library_ids
from revenge.playlists import repository as repo
from revenge.playlists.schemas import (
    ItemRef,
    PlaylistCreate,
    PlaylistDetail,
    PlaylistEntryOut,
    PlaylistOut,
    PlaylistPatch,
)

TYPES_OF = {"video": VIDEO_TYPES, "audio": AUDIO_TYPES}


def out(kind: str, playlist: Any, count: int) -> PlaylistOut:
    return PlaylistOut(
        id=playlist.id, kind=kind, owner_id=playlist.user_id, name=playlist.name,
        description=playlist.description, is_public=playlist.is_public, item_count=count,
        created_at=playlist.created_at, updated_at=playlist.updated_at,
    )  # fmt: skip


async def readable(session: AsyncSession, user: Principal, kind: str, pid: uuid.UUID) -> Any:
    playlist = await repo.get(session, kind, pid)
    if playlist is None or not (playlist.user_id == user.user_id or playlist.is_public):
        raise NotFound(f"No {kind} playlist {pid}.")
    return playlist


async def owned(session: AsyncSession, user: Principal, kind: str, pid: uuid.UUID) -> Any:
    playlist = await readable(session, user, kind, pid)
    if playlist.user_id != user.user_id:
        raise Forbidden("Only the owner can change this playlist.")
    return playlist


async def create(session: AsyncSession, user: Principal, body: PlaylistCreate) -> PlaylistOut:
    values = body.model_dump(exclude={"kind"}) | {"user_id": user.user_id}
    return out(body.kind, await repo.add(session, body.kind, values), 0)


async def update(
    session: AsyncSession, user: Principal, kind: str, pid: uuid.UUID, body: PlaylistPatch
) -> PlaylistOut:
    playlist = await owned(session, user, kind, pid)
    for field, value in body.model_dump(exclude_unset=True).items():
        if value is None and field != "description":
            raise Unprocessable(f"{field} cannot be null.", field=field)
        setattr(playlist, field, value)
    await repo.touch(session, playlist)
    await session.refresh(playlist)
    counts = await repo.item_counts(session, kind, [pid])
    return out(kind, playlist, counts.get(pid, 0))


async def delete(session: AsyncSession, user: Principal, kind: str, pid: uuid.UUID) -> None:
    await session.delete(await owned(session, user, kind, pid))


async def listing(
    session: AsyncSession, user: Principal, kind: str, include_public: bool
) -> list[PlaylistOut]:
    found = await repo.listing(session, kind, user.user_id, include_public)
    counts = await repo.item_counts(session, kind, [p.id for p in found])
    return [out(kind, p, counts.get(p.id, 0)) for p in found]


async def detail(
    session: AsyncSession, user: Principal, kind: str, pid: uuid.UUID
) -> PlaylistDetail:
    playlist = await readable(session, user, kind, pid)
    allowed = await allowed_library_ids(session, user)
    rows = await repo.entries(session, kind, pid)
    keys = {e.id: ItemKey(e.item_type, e.item_id, getattr(e, "chapter", None)) for e in rows}
    infos = await describe(session, keys.values())
    items = []
    for entry in rows:
        info = infos.get(keys[entry.id])
        if info is None or not visible(info, allowed):
            continue
        items.append(PlaylistEntryOut(
            entry_id=entry.id, type=entry.item_type, id=entry.item_id, chapter=info.key.chapter,
            title=info.title, subtitle=info.subtitle, year=info.year,
            library_id=info.library_id, position=entry.position, added_at=entry.added_at,
        ))  # fmt: skip
    return PlaylistDetail(**out(kind, playlist, len(items)).model_dump(), items=items)


async def add_items(
    session: AsyncSession, user: Principal, kind: str, pid: uuid.UUID, refs: list[ItemRef]
) -> PlaylistDetail:
    """Append items the caller may see; an unknown or hidden item fails the whole request."""
    playlist = await owned(session, user, kind, pid)
    wrong = [r.type for r in refs if r.type not in TYPES_OF[kind]]
    if wrong:
        raise Unprocessable(f"A {kind} playlist cannot hold {wrong[0]} items.")
    keys = [
        ItemKey(r.type, r.id, r.chapter if r.type == "audiobook_chapter" else None) for r in refs
    ]
    infos = await describe(session, keys)
    allowed = await allowed_library_ids(session, user)
    for key in keys:
        info = infos.get(key)
        if info is None or not visible(info, allowed):
            raise NotFound(f"No {key.type} {key.id}.")
    position = await repo.last_position(session, kind, pid)
    rows = []
    for i, key in enumerate(keys, start=1):
        row: dict[str, Any] = {"playlist_id": pid, "item_type": key.type, "item_id": key.id,
                               "position": position + i}  # fmt: skip
        if kind == "audio":
            row["chapter"] = key.chapter
        rows.append(row)
    await repo.add_entries(session, kind, rows)
    await repo.touch(session, playlist)
    return await detail(session, user, kind, pid)


async def remove_item(
    session: AsyncSession, user: Principal, kind: str, pid: uuid.UUID, entry_id: uuid.UUID
) -> None:
    playlist = await owned(session, user, kind, pid)
    if not await repo.remove_entry(session, kind, pid, entry_id):
        raise NotFound(f"No entry {entry_id} in this playlist.")
    await repo.touch(session, playlist)


async def move_item(
    session: AsyncSession, user: Principal, kind: str, pid: uuid.UUID, entry_id: uuid.UUID,
    after: uuid.UUID | None,
) -> None:  # fmt: skip
    """Put one entry right after another (or first); normally writes only that entry."""
    await owned(session, user, kind, pid)
    if await repo.get_entry(session, kind, pid, entry_id) is None:
        raise NotFound(f"No entry {entry_id} in this playlist.")
    if after == entry_id:
        return  # "right after itself" is where it already is
    for _ in range(2):
        others = [e for e in await repo.entries(session, kind, pid) if e.id != entry_id]
        index = 0
        if after is not None:
            index = next((i + 1 for i, e in enumerate(others) if e.id == after), -1)
            if index < 0:
                raise NotFound(f"No entry {after} in this playlist.")
        left = others[index - 1].position if index > 0 else None
        right = others[index].position if index < len(others) else None
        position = between(left, right)
        if position is not None:
            await repo.set_position(session, kind, entry_id, position)
            return
        await repo.renumber(session, kind, pid)
        session.expire_all()
    raise Unprocessable("Could not place the entry.")
