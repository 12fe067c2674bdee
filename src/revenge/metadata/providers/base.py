"""What providers and local sources of one sort share."""

from __future__ import annotations

import asyncio
from pathlib import Path

from revenge.metadata.http import ProviderHttp
from revenge.metadata.protocols import KeySource
from revenge.metadata.types import ItemKind, ItemMetadata


class KeyedProvider:
    """A provider called over HTTP with a key from the provider credentials (`keys`)."""

    name: str

    def __init__(self, http: ProviderHttp, keys: KeySource) -> None:
        self.http = http
        self.keys = keys


class BlockingLocalSource:
    """A local source whose reading blocks (files, tags): `_read` runs in a worker thread."""

    name: str

    async def read(self, kind: ItemKind, path: Path) -> ItemMetadata | None:
        return await asyncio.to_thread(self._read, kind, path)

    def _read(self, kind: ItemKind, path: Path) -> ItemMetadata | None:
        raise NotImplementedError
