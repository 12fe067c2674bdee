"""The folder picker behind "add a library": an administrator's view of the server's folders.

Lists sub-folders only (never files), and only where a library could be: system trees, the
server's data directory, the database's data directory and other accounts' home folders are
neither listed nor entered. Each folder says whether it can be a library as it is, with the
reason `check_folder` would give when not (e.g. `/home` itself, or an unreadable folder).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from revenge.api.deps import AdminUser, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.errors import BadRequest, Forbidden, NotFound
from revenge.libraries import repository as repo
from revenge.libraries.folders import SYSTEM_TREES, _inside, _other_users_home, check_folder

router = APIRouter(tags=["libraries"])

MAX_ENTRIES = 2000


class FolderOut(BaseModel):
    name: str
    path: str
    usable: bool
    reason: str | None = None


class FolderListing(BaseModel):
    path: str
    parent: str | None
    folders: list[FolderOut]
    truncated: bool = False


def _closed(real: Path, data_dir: Path, forbidden: Iterable[str]) -> bool:
    """Never listed nor entered: what the server keeps, or must not show."""
    trees = [Path(t) for t in SYSTEM_TREES] + [Path(os.path.realpath(f)) for f in forbidden]
    data = Path(os.path.realpath(data_dir))
    return (
        any(_inside(real, tree) for tree in trees)
        or _inside(real, data)
        or _other_users_home(real) is not None
    )


def list_folders(raw: str, data_dir: Path, forbidden: list[str]) -> FolderListing:
    """Sub-folders of `raw`, or BadRequest saying why it cannot be shown."""
    if not raw.startswith("/") or "\x00" in raw:
        raise BadRequest("`path` must be an absolute folder path.")
    # Every check below is made on the resolved path, so '..' and symlinks lead nowhere else.
    real = Path(os.path.realpath(raw))
    if not real.is_dir() or not os.access(real, os.R_OK | os.X_OK):
        raise NotFound(f"{raw!r} is not a folder the server can read.")
    if _closed(real, data_dir, forbidden):
        raise Forbidden(f"{raw!r} cannot hold a library.")
    found: list[FolderOut] = []
    with os.scandir(real) as entries:
        for entry in sorted(entries, key=lambda e: e.name.lower()):
            if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=True):
                continue
            child = Path(os.path.realpath(entry.path))
            if _closed(child, data_dir, forbidden):
                continue
            found.append(_folder(entry.name, str(real / entry.name), data_dir, forbidden))
            if len(found) >= MAX_ENTRIES:
                break
    parent = None if real == real.parent else str(real.parent)
    return FolderListing(
        path=str(real), parent=parent, folders=found, truncated=len(found) >= MAX_ENTRIES
    )


def _folder(name: str, path: str, data_dir: Path, forbidden: list[str]) -> FolderOut:
    try:
        check_folder(path, data_dir, forbidden)
    except BadRequest as refused:
        return FolderOut(name=name, path=path, usable=False, reason=refused.detail)
    return FolderOut(name=name, path=path, usable=True)


@router.get(
    "/api/v1/admin/folders",
    responses=problem_responses(
        {
            400: "The path is not absolute.",
            403: "The folder cannot hold a library.",
            404: "No folder the server can read there.",
        }
    ),
)
async def browse_folders(
    _: AdminUser,
    session: DbSession,
    runtime: RuntimeDep,
    path: Annotated[str, Query(max_length=4096, pattern="^/[^\x00]*$")] = "/",
) -> FolderListing:
    """The sub-folders of a folder on the server, for picking a library's folders."""
    database = await repo.database_data_dir(session)
    forbidden = [database] if database else []
    return await asyncio.to_thread(list_folders, path, runtime.settings.data_dir, forbidden)
