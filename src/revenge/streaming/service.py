"""Who may stream which file, and opening it for them."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.errors import Gone, NotFound
from revenge.streaming import repository as repo
from revenge.streaming.files import Subtitle, open_confined, sidecar_subtitles
from revenge.streaming.open_files import OpenFiles
from revenge.streaming.repository import StreamFile as StreamFile


@dataclass(frozen=True, slots=True)
class Caller:
    """The user a stream is for, from a session/key or from a signed media token."""

    user_id: uuid.UUID
    is_admin: bool


async def visible_file(session: AsyncSession, caller: Caller, file_id: uuid.UUID) -> StreamFile:
    """The file if it exists and is in a library the caller may see; 404 otherwise."""
    found = await repo.find_file(session, file_id, caller.user_id)
    if found is None or not (caller.is_admin or found.granted):
        raise NotFound(f"No file {file_id}.")
    if found.missing_since is not None:
        raise missing_file(file_id, found.missing_since)
    return found


def missing_file(file_id: uuid.UUID, since: datetime | None) -> Gone:
    """410 for a catalogued file that is no longer on disk: the client should not retry."""
    when = f" since {since.isoformat(timespec='seconds')}" if since else ""
    return Gone(
        f"The file {file_id} is missing from its library folder{when}; restore it or"
        " rescan the library.",
        missing_since=since.isoformat() if since else None,
    )


def _vanished(path: str) -> bool:
    # As cheap as the open that just failed; only on that failure path.
    return not os.path.lexists(path)


async def open_file(path: str, roots: list[str], file_id: uuid.UUID) -> tuple[int, os.stat_result]:
    """Open the file confined to its library's roots; 404 when it is gone or escapes them."""
    # Resolving and opening take microseconds on local disks: a thread hop would cost more.
    return _opened(open_confined(path, roots), path, file_id)


def open_to_send(
    files: OpenFiles, path: str, roots: list[str], file_id: uuid.UUID
) -> tuple[int, os.stat_result]:
    """As `open_file`, from the files kept open: for positional reads only (see OpenFiles)."""
    return _opened(files.open(path, roots), path, file_id)


def _opened(
    opened: tuple[int, os.stat_result] | None, path: str, file_id: uuid.UUID
) -> tuple[int, os.stat_result]:
    if opened is None:
        if _vanished(path):  # gone since the last scan, not an escape: 410
            raise missing_file(file_id, None)
        raise NotFound(f"File {file_id} is not available.")
    return opened


async def subtitles(found: StreamFile) -> list[Subtitle]:
    if found.kind != "video":
        return []
    return sidecar_subtitles(found.path)


async def subtitle_path(found: StreamFile, name: str) -> str:
    """The path of one listed subtitle (names come only from the listing: no traversal)."""
    for sub in await subtitles(found):
        if sub.name == name:
            return os.path.join(os.path.dirname(found.path), sub.name)
    raise NotFound(f"No subtitle {name!r}.")
