"""Stored files (infra.storage) in backups: archived with the data directory, restored to storage.

With the default storage (the data directory itself) there is nothing to do. A storage folder
elsewhere is archived from where it is; object storage is copied to a scratch folder first. On
restore the files unpacked into the data directory are put back into storage.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from revenge.infra.storage import Storage

STORED = ("images",)


def folders_to_archive(storage: Storage, data_dir: Path, scratch: Path) -> dict[str, Path]:
    """Stored folders not already inside the data directory, as local folders."""
    found: dict[str, Path] = {}
    for name in STORED:
        folder = storage.local_path(name)
        if folder is None:
            copied = asyncio.run(_download(storage, name, scratch))
            if copied is not None:
                found[name] = copied
        elif folder.resolve() != (data_dir / name).resolve() and folder.is_dir():
            found[name] = folder
    return found


async def _download(storage: Storage, name: str, scratch: Path) -> Path | None:
    objects = await storage.list_prefix(f"{name}/")
    for item in objects:
        target = scratch / item.key
        target.parent.mkdir(parents=True, exist_ok=True)
        await storage.download(item.key, target)
    return scratch / name if objects else None


def move_restored_into_storage(storage: Storage, data_dir: Path) -> int:
    """Put stored folders unpacked into the data directory where storage keeps them."""
    moved = 0
    for name in STORED:
        unpacked = data_dir / name
        folder = storage.local_path(name)
        if not unpacked.is_dir() or (folder is not None and folder.resolve() == unpacked.resolve()):
            continue
        files = [p for p in sorted(unpacked.rglob("*")) if p.is_file()]
        asyncio.run(_upload(storage, data_dir, files))
        moved += len(files)
        shutil.rmtree(unpacked)
    return moved


async def _upload(storage: Storage, data_dir: Path, files: list[Path]) -> None:
    for path in files:
        await storage.put_file(path.relative_to(data_dir).as_posix(), path)


def upload_archive(storage: Storage, key: str, archive: Path) -> None:
    asyncio.run(storage.put_file(key, archive))
