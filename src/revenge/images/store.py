"""Stored artwork: originals by content hash, resized variants cached next to them."""

from __future__ import annotations

from revenge.images.processing import EXTENSIONS, MIME_TYPES
from revenge.infra.storage import Storage

# Requested sizes snap up to this ladder, so one image has at most a few hundred variants
# on disk however many sizes clients ask for.
SIZE_LADDER = (
    64,
    96,
    128,
    160,
    240,
    320,
    360,
    480,
    640,
    720,
    960,
    1080,
    1280,
    1440,
    1920,
    2560,
    3840,
)


def snap_size(value: int | None, maximum: int) -> int | None:
    """The smallest ladder size >= value, capped at `maximum`."""
    if value is None:
        return None
    for step in SIZE_LADDER:
        if step >= value:
            return min(step, maximum)
    return maximum


class ImageStore:
    """`images/originals/ab/<hash>.<ext>` and `images/variants/ab/<hash>_WxH.<fmt>` in storage.

    With the local backend on the data directory these are the paths artwork always had."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def original_key(self, content_hash: str, fmt: str) -> str:
        return f"images/originals/{content_hash[:2]}/{content_hash}.{EXTENSIONS[fmt]}"

    def variant_key(
        self, content_hash: str, width: int | None, height: int | None, fmt: str
    ) -> str:
        name = f"{content_hash}_{width or 0}x{height or 0}.{EXTENSIONS[fmt]}"
        return f"images/variants/{content_hash[:2]}/{name}"

    async def save_original(self, content_hash: str, fmt: str, data: bytes) -> str:
        """Store once: an identical image already stored is left as it is."""
        key = self.original_key(content_hash, fmt)
        if await self.storage.stat(key) is None:
            await self.storage.put(key, data, MIME_TYPES[fmt])
        return key

    async def save_variant(self, key: str, data: bytes, fmt: str) -> None:
        await self.storage.put(key, data, MIME_TYPES[fmt])

    async def exists(self, key: str) -> bool:
        return await self.storage.stat(key) is not None

    async def read(self, key: str) -> bytes | None:
        return await self.storage.get(key)

    async def remove(self, content_hash: str, fmt: str) -> None:
        """Delete an original and every cached variant of it."""
        variants = await self.storage.list_prefix(
            f"images/variants/{content_hash[:2]}/{content_hash}_"
        )
        await self.storage.delete(self.original_key(content_hash, fmt), *(v.key for v in variants))
