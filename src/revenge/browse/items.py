"""Catalogue items referenced from elsewhere (playlists, collections, search): type + id.

Resolves many references with one query per item type (each kind declares its own), giving
each its title, library and a subtitle (series, artist, audiobook) so lists can be shown
without more lookups.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.browse import repository as repo
from revenge.catalog.registry import KINDS

# Which playlists may hold which kinds.
VIDEO_TYPES = KINDS.names(lambda k: k.media == "video")
AUDIO_TYPES = KINDS.names(lambda k: k.media == "audio")


@dataclass(frozen=True, slots=True)
class ItemKey:
    type: str
    id: uuid.UUID
    chapter: int | None = None


@dataclass(frozen=True, slots=True)
class ItemInfo:
    key: ItemKey
    library_id: uuid.UUID
    title: str
    subtitle: str | None
    year: int | None


async def describe(session: AsyncSession, keys: Iterable[ItemKey]) -> dict[ItemKey, ItemInfo]:
    """The items that exist among `keys` (missing ones are left out)."""
    by_type: dict[str, set[uuid.UUID]] = defaultdict(set)
    for key in keys:
        by_type[key.type].add(key.id)
    found: dict[ItemKey, ItemInfo] = {}
    for item_type, ids in by_type.items():
        for row in await repo.references(session, item_type, ids):
            # A sixth column places the reference inside the item (an audiobook's chapter).
            key = ItemKey(item_type, row[0], row[5] if len(row) > 5 else None)
            found[key] = ItemInfo(key, row[1], row[2], row[3], row[4])
    return found


def visible(info: ItemInfo, allowed: set[uuid.UUID] | None) -> bool:
    return allowed is None or info.library_id in allowed
