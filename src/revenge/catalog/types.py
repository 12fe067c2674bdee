"""What the scanner hands to a content module, and what the module hands back."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from psycopg import AsyncConnection
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.libraries.scanner.audio import AudioFacts
from revenge.libraries.scanner.walk import AUDIO_EXTENSIONS, VIDEO_EXTENSIONS


@dataclass(slots=True)
class FileToPlace:
    """A new or changed file to attach to a catalogue item."""

    file_id: uuid.UUID
    path: str
    parts: tuple[str, ...]
    facts: AudioFacts | None = None


@dataclass(slots=True)
class Placement:
    """Where a file belongs: its item (None for ignored files such as samples)."""

    item_kind: str | None
    item_id: uuid.UUID | None
    extra_type: str | None = None
    part: int | None = None
    version: str | None = None


@dataclass
class Placed:
    """Placements by file id, plus the items created or touched."""

    placements: dict[uuid.UUID, Placement] = field(default_factory=dict)
    new_items: list[tuple[str, uuid.UUID]] = field(default_factory=list)
    touched_items: list[tuple[str, uuid.UUID]] = field(default_factory=list)


class Cataloguer(Protocol):
    """One content module as the scanner sees it."""

    media_kind: str
    extensions: frozenset[str]

    async def place(
        self, conn: AsyncConnection[Any], library_id: uuid.UUID, files: list[FileToPlace]
    ) -> Placed: ...

    async def finish(
        self, conn: AsyncConnection[Any], library_id: uuid.UUID, item_ids: set[uuid.UUID]
    ) -> None: ...

    async def purge_orphans(self, session: AsyncSession) -> int: ...


_EXTENSIONS = {"audio": AUDIO_EXTENSIONS, "video": VIDEO_EXTENSIONS}


class BaseCataloguer:
    """What most content modules share: the files of their media kind, nothing left to do
    once a scan's files are placed, and orphans removed by their repository's function.

    Declared in the class line: `class X(BaseCataloguer, media="audio", orphans=...)`.
    """

    media_kind: str
    extensions: frozenset[str]
    delete_orphans: staticmethod[[AsyncSession], Awaitable[int]]

    def __init_subclass__(
        cls, *, media: str, orphans: Callable[[AsyncSession], Awaitable[int]], **kw: Any
    ) -> None:
        super().__init_subclass__(**kw)
        cls.media_kind, cls.extensions = media, _EXTENSIONS[media]
        cls.delete_orphans = staticmethod(orphans)

    async def finish(
        self, conn: AsyncConnection[Any], library_id: uuid.UUID, item_ids: set[uuid.UUID]
    ) -> None:
        return None

    async def purge_orphans(self, session: AsyncSession) -> int:
        return await self.delete_orphans(session)
