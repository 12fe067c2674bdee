"""SQL of audio playback: the audio files of an item, with their library's roots."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

_SELECT = """
    SELECT f.id, f.path, f.library_id, f.container, f.duration_seconds, f.bit_rate,
           array(SELECT p.path FROM library_paths p WHERE p.library_id = f.library_id) AS roots
    FROM media_files f
    WHERE f.kind = 'audio' AND f.missing_since IS NULL AND f.extra_type IS NULL
"""
_BY_ITEM = text(_SELECT + " AND f.item_id = :item_id ORDER BY f.part NULLS FIRST, f.path")
_BY_ID = text(_SELECT + " AND f.id = :file_id")


@dataclass(frozen=True, slots=True)
class AudioFile:
    id: uuid.UUID
    path: str
    library_id: uuid.UUID
    container: str | None
    duration: float | None
    bit_rate: int | None
    roots: list[str]


async def audio_files(session: AsyncSession, item_id: uuid.UUID) -> list[AudioFile]:
    """The item's audio files, in playing order (parts first to last)."""
    return _files((await session.execute(_BY_ITEM, {"item_id": item_id})).all())


async def audio_file(session: AsyncSession, file_id: uuid.UUID) -> AudioFile | None:
    found = _files((await session.execute(_BY_ID, {"file_id": file_id})).all())
    return found[0] if found else None


def _files(rows: Sequence[Row[Any]]) -> list[AudioFile]:
    return [
        AudioFile(r.id, r.path, r.library_id, r.container, r.duration_seconds, r.bit_rate,
                  list(r.roots))
        for r in rows
    ]  # fmt: skip
