"""SQL of subtitles: sidecar files found at scan time, embedded streams, their video files."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, delete, insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.playback.subtitle_models import MediaSubtitle
from revenge.playback.subtitle_names import Sidecar

_FILES = """
    SELECT f.id, f.path, f.library_id, f.duration_seconds,
           array(SELECT p.path FROM library_paths p WHERE p.library_id = f.library_id) AS roots
    FROM media_files f
    WHERE f.kind = 'video' AND f.missing_since IS NULL
"""
_BY_ID = text(_FILES + " AND f.id = :file_id")
_BY_ITEM = text(_FILES + " AND f.item_id = :item_id ORDER BY f.extra_type NULLS FIRST, f.part"
                " NULLS FIRST, f.path")  # fmt: skip
_EMBEDDED = text(
    "SELECT media_file_id, index AS stream_index, codec, language, title, is_default, is_forced"
    " FROM media_streams WHERE kind = 'subtitle' AND media_file_id = ANY(:ids)"
    " ORDER BY media_file_id, index"
)
_EXTERNAL = text(
    "SELECT media_file_id, position, file_name, format, language, title, is_default,"
    " is_forced, is_sdh FROM media_subtitles WHERE media_file_id = ANY(:ids)"
    " ORDER BY media_file_id, position"
)


@dataclass(frozen=True, slots=True)
class VideoFile:
    id: uuid.UUID
    path: str
    library_id: uuid.UUID
    duration: float | None
    roots: list[str]


def _videos(rows: Sequence[Row[Any]]) -> list[VideoFile]:
    return [VideoFile(r.id, r.path, r.library_id, r.duration_seconds, list(r.roots)) for r in rows]


async def video_file(session: AsyncSession, file_id: uuid.UUID) -> VideoFile | None:
    found = _videos((await session.execute(_BY_ID, {"file_id": file_id})).all())
    return found[0] if found else None


async def item_videos(session: AsyncSession, item_id: uuid.UUID) -> list[VideoFile]:
    return _videos((await session.execute(_BY_ITEM, {"item_id": item_id})).all())


async def embedded(session: AsyncSession, file_ids: list[uuid.UUID]) -> Sequence[Row[Any]]:
    """Subtitle streams inside the files (stored by the probe)."""
    return (await session.execute(_EMBEDDED, {"ids": file_ids})).all()


async def external(session: AsyncSession, file_ids: list[uuid.UUID]) -> Sequence[Row[Any]]:
    """Subtitle files beside the files (stored by the probe)."""
    return (await session.execute(_EXTERNAL, {"ids": file_ids})).all()


async def replace_sidecars(session: AsyncSession, found: dict[uuid.UUID, list[Sidecar]]) -> None:
    """Store what a probe found beside each file, in place of what was there before."""
    if not found:
        return
    await session.execute(delete(MediaSubtitle).where(MediaSubtitle.media_file_id.in_(list(found))))
    rows = [
        {"media_file_id": file_id, "position": position, "file_name": s.file_name,
         "format": s.format, "language": s.language, "title": s.title,
         "is_default": s.is_default, "is_forced": s.is_forced, "is_sdh": s.is_sdh}
        for file_id, sidecars in found.items()
        for position, s in enumerate(sidecars, start=1)
    ]  # fmt: skip
    if rows:
        await session.execute(insert(MediaSubtitle), rows)
