"""The storage interface: objects named by slash-separated keys, written whole, read back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol


class InvalidKey(ValueError):
    """A key that could name something outside the store (absolute, `..`, empty parts)."""


def check_key(key: str) -> str:
    """The key itself, when it is relative and has no empty, `.` or `..` parts."""
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in key:
        raise InvalidKey(f"not a storage key: {key!r}")
    return key


@dataclass(frozen=True)
class StoredObject:
    """What a store knows of an object without reading it."""

    key: str
    size: int
    modified: datetime


class Storage(Protocol):
    """Where stored files live. Writes replace whole objects; readers never see half of one."""

    async def put(self, key: str, data: bytes, content_type: str | None = None) -> None: ...

    async def put_file(self, key: str, source: Path) -> None:
        """Store a (large) local file, streamed."""
        ...

    async def get(self, key: str) -> bytes | None:
        """The object's bytes; None when there is no such object."""
        ...

    async def get_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes [start, end) of an object that exists."""
        ...

    async def download(self, key: str, target: Path) -> bool:
        """Copy an object to a local file, streamed; False when there is no such object."""
        ...

    async def stat(self, key: str) -> StoredObject | None: ...

    async def list_prefix(self, prefix: str) -> list[StoredObject]:
        """Objects whose keys start with `prefix` (a folder: end it with `/`)."""
        ...

    async def delete(self, *keys: str) -> None:
        """Delete objects; missing ones are no error."""
        ...

    def local_path(self, key: str) -> Path | None:
        """Where the object is on this machine's disk, for backends that keep files there."""
        ...

    def describe(self) -> str:
        """Where the files go, for logs and command output."""
        ...
