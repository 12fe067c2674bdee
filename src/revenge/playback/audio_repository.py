"""SQL of audio playback: the audio files of an item, with their library's roots."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_FILES = text(
    """
    SELECT f.id, f.path, f.library_id, f.container, f.duration_seconds, f.bit_rate,
           array(SELECT p.path FROM library_paths p WHERE p.library_id = f.library_id) AS roots
    FROM media_files f
    WHERE f.item_id = :item_id AND f.kind = 'audio' AND f.missing_since IS NULL
      AND f.extra_type IS NULL
    ORDER BY f.part NULLS FIRST, f.path
    """
)


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
    rows = (await session.execute(_FILES, {"item_id": item_id})).all()
    return [
        AudioFile(r.id, r.path, r.library_id, r.container, r.duration_seconds, r.bit_rate,
                  list(r.roots))
        for r in rows
    ]  # fmt: skip
