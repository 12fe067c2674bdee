"""The local-folder backend: a key is a path under the root (by default the data directory)."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from revenge.infra.storage.base import StoredObject, check_key


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy_atomic(source: Path, path: Path) -> bool:
    """Copy a file in atomically; False when there is no source (a file onto itself: done)."""
    if not source.is_file():
        return False
    if source.resolve() == path.resolve():
        return True
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _stat(key: str, path: Path) -> StoredObject | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    if not path.is_file():
        return None
    return StoredObject(key, found.st_size, datetime.fromtimestamp(found.st_mtime, UTC))


def _read_range(path: Path, start: int, end: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(start)
        return handle.read(end - start)


class LocalStorage:
    """Files under one folder; every write is atomic (temporary file, then rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def local_path(self, key: str) -> Path | None:
        return self.path(key)

    def describe(self) -> str:
        return f"folder {self.root}"

    async def put(self, key: str, data: bytes, content_type: str | None = None) -> None:
        await asyncio.to_thread(_write_atomic, self.path(key), data)

    async def put_file(self, key: str, source: Path) -> None:
        if not await asyncio.to_thread(_copy_atomic, source, self.path(key)):
            raise FileNotFoundError(source)

    async def get(self, key: str) -> bytes | None:
        try:
            return await asyncio.to_thread(self.path(key).read_bytes)
        except (FileNotFoundError, IsADirectoryError):
            return None

    async def get_range(self, key: str, start: int, end: int) -> bytes:
        return await asyncio.to_thread(_read_range, self.path(key), start, end)

    async def download(self, key: str, target: Path) -> bool:
        return await asyncio.to_thread(_copy_atomic, self.path(key), target)

    async def stat(self, key: str) -> StoredObject | None:
        return await asyncio.to_thread(_stat, key, self.path(key))

    async def list_prefix(self, prefix: str) -> list[StoredObject]:
        return await asyncio.to_thread(self._list_prefix, prefix)

    def _list_prefix(self, prefix: str) -> list[StoredObject]:
        folder = prefix.rpartition("/")[0]
        base = self.path(folder) if folder else self.root
        if not base.is_dir():
            return []
        found = []
        for path in sorted(base.rglob("*")):
            key = path.relative_to(self.root).as_posix()
            if key.startswith(prefix) and not path.name.startswith(".tmp-"):
                item = _stat(key, path)
                if item is not None:
                    found.append(item)
        return found

    async def delete(self, *keys: str) -> None:
        for key in keys:
            await asyncio.to_thread(self.path(key).unlink, missing_ok=True)
