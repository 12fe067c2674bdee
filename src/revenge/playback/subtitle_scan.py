"""Subtitle files added or removed beside videos that did not change themselves.

A probe (after a video is added or changed, and at every full scan) stores the subtitle
files beside it. A folder scan, which the file watcher queues when anything in a folder
changes (a `.srt` dropped next to a film), looks again at the videos of those folders too,
so a new subtitle file is listed within seconds without probing the video again; so does
any scan for the folders of videos it found moved (a moved file is not probed again).
"""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.playback.subtitle_names import discover
from revenge.playback.subtitle_repository import replace_sidecars

_VIDEOS = text(
    "SELECT id, path FROM media_files WHERE library_id = :library AND kind = 'video'"
    " AND missing_since IS NULL AND (folder = ANY(:folders)"
    " OR EXISTS (SELECT 1 FROM unnest(CAST(:folders AS text[])) AS f(top)"
    "            WHERE starts_with(folder, rtrim(f.top, '/') || '/')))"
)


async def refresh_folders(session: AsyncSession, library_id: uuid.UUID, folders: list[str]) -> int:
    """Look again for the subtitle files of every video in `folders`; how many videos."""
    rows = (await session.execute(_VIDEOS, {"library": library_id, "folders": folders})).all()
    found = await asyncio.to_thread(lambda: {r.id: discover(r.path) for r in rows})
    await replace_sidecars(session, found)
    return len(found)
