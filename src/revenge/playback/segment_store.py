"""Where a node's HLS segments are kept: the stored-files interface (infra.storage).

Runs write segments as files (worker processes write them) into this node's own folder,
`<data dir>/transcode`. With the default storage (a local folder that is the data directory)
that folder is the store itself: a segment is stored the moment it is written and is served by
its path, with no copy. With object storage, or a storage folder elsewhere (one mounted on every
node), every finished segment is also stored under the same key, so any node can answer a
request for a segment another node made. Playlists are not stored: every node writes them from
the session's plan in PostgreSQL.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from pathlib import Path

from revenge.infra.storage import Storage

PREFIX = "transcode"


class SegmentStore:
    def __init__(self, storage: Storage, data_dir: Path) -> None:
        self.storage = storage
        self.root = data_dir / PREFIX
        stored = storage.local_path(PREFIX)
        # The node's folder is private (each node has its own data directory, and runs mark
        # it as theirs); segments are shared when the store is anywhere else.
        self.shared = stored is None or stored.resolve() != self.root.resolve()

    @staticmethod
    def key(session_id: uuid.UUID, variant: str, n: int) -> str:
        return f"{PREFIX}/{session_id}/{variant}/{n}.ts"

    async def publish(self, session_id: uuid.UUID, variant: str, n: int, path: Path) -> None:
        """Store a segment a run finished (unless the node's folder is the store)."""
        if self.shared:
            await self.storage.put_file(self.key(session_id, variant, n), path)

    async def fetch(self, session_id: uuid.UUID, variant: str, n: int) -> Path | bytes | None:
        """A segment another node stored: its path when the store is a folder, else its bytes;
        None when there is none (or segments are not shared)."""
        if not self.shared:
            return None
        key = self.key(session_id, variant, n)
        path = self.storage.local_path(key)
        if path is not None:
            return path if path.is_file() else None
        return await self.storage.get(key)

    async def forget(self, session_id: uuid.UUID) -> None:
        """Delete the session's stored segments (its local folder is the producer's to delete)."""
        if not self.shared:
            return
        folder = self.storage.local_path(f"{PREFIX}/{session_id}")
        if folder is not None:  # a storage folder: its emptied subfolders go as well
            await asyncio.to_thread(shutil.rmtree, folder, True)
            return
        found = await self.storage.list_prefix(f"{PREFIX}/{session_id}/")
        await self.storage.delete(*(item.key for item in found))
