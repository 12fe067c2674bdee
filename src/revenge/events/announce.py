"""The batched "new items" announcement: one event per scan, grouped by series, album or show
("3 new episodes of Severance"), never one message per item."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.events import repository as repo
from revenge.notifications.events import NotificationEvent

# How an item kind is counted inside its group: (singular, plural, preposition of the group).
_NOUNS: dict[str, tuple[str, str, str]] = {
    "movie": ("movie", "movies", ""),
    "series": ("series", "series", ""),
    "episode": ("episode", "episodes", "of"),
    "track": ("track", "tracks", "on"),
    "audiobook": ("audiobook", "audiobooks", ""),
    "podcast_episode": ("episode", "episodes", "of"),
}
_LISTED_GROUPS = 30
_LISTED_IDS = 50


def _line(kind: str, parent: str | None, titles: list[str]) -> str:
    one, many, prep = _NOUNS.get(kind, ("item", "items", ""))
    count = len(titles)
    if parent is not None:
        return f"{count} new {one if count == 1 else many} {prep} {parent}"
    if count == 1:
        return f"New {one}: {titles[0]}"
    return f"{count} new {many}"


async def describe_new_items(
    session: AsyncSession, library_id: uuid.UUID, library_name: str
) -> NotificationEvent | None:
    """Take the library's waiting new items and describe them in one event (None if none)."""
    pending = await repo.take_new_items(session, library_id)
    by_kind: dict[str, list[uuid.UUID]] = defaultdict(list)
    for kind, item_id in pending:
        by_kind[kind].append(item_id)
    groups: dict[tuple[str, str | None], list[tuple[uuid.UUID, str]]] = defaultdict(list)
    for kind, ids in by_kind.items():
        for item_id, title, parent in await repo.describe(session, kind, ids):
            groups[(kind, parent)].append((item_id, title))
    # A new series is told through its new episodes when it has some.
    with_episodes = {parent for kind, parent in groups if kind == "episode"}
    for key in [k for k in groups if k[0] == "series"]:
        groups[key] = [(i, t) for i, t in groups[key] if t not in with_episodes]
        if not groups[key]:
            del groups[key]
    if not groups:
        return None
    ordered = sorted(groups.items(), key=lambda g: (-len(g[1]), g[0][1] or "", g[0][0]))
    lines = [_line(kind, parent, [t for _, t in items]) for (kind, parent), items in ordered]
    total = sum(len(items) for items in groups.values())
    title = lines[0] if len(lines) == 1 else f"{total} new items in {library_name}"
    shown = lines[:_LISTED_GROUPS]
    if len(lines) > len(shown):
        shown.append(f"and {len(lines) - len(shown)} more")
    data: dict[str, Any] = {
        "library_id": str(library_id),
        "library": library_name,
        "count": total,
        "groups": [
            {"kind": kind, "title": parent, "count": len(items),
             "items": [{"id": str(i), "title": t} for i, t in items[:_LISTED_IDS]]}
            for (kind, parent), items in ordered
        ],
    }  # fmt: skip
    return NotificationEvent("item.added", title, "\n".join(shown), data)
