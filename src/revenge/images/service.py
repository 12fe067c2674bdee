"""Getting artwork in (URL, local file, embedded cover) and resized variants out.

Network, decoding and disk work happen outside any transaction; the caller records the
result in its own transaction with `record_stored` / `record_refused`.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Sequence
from typing import Any, BinaryIO, cast

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.config import ImageSettings
from revenge.errors import must_exist
from revenge.images import repository
from revenge.images.errors import ImageRefused
from revenge.images.fetch import Fetcher
from revenge.images.local import embedded_cover
from revenge.images.models import Image
from revenge.images.processing import (
    ImageFacts,
    ImageFormat,
    VariantFormat,
    inspect_image,
    render_variant,
)
from revenge.images.store import ImageStore, snap_size
from revenge.infra.storage import Storage
from revenge.streaming.files import open_confined


def _open_in_library(path: str, roots: list[str]) -> BinaryIO:
    """The file opened read-only when, symlinks resolved, it lies inside a library folder."""
    if not os.path.lexists(path):
        raise ImageRefused("not_found", f"{path} does not exist")
    opened = open_confined(path, roots)
    if opened is None:
        raise ImageRefused("outside_library", f"{path} is not a file inside a library folder")
    return os.fdopen(opened[0], "rb")


def source_key(payload: dict[str, Any]) -> str:
    """How an `images.download` payload is recorded: the URL, or `file:`/`embedded:` + path."""
    if payload.get("url"):
        return str(payload["url"])
    if payload.get("path"):
        return "file:" + str(payload["path"])
    if payload.get("embedded"):
        return "embedded:" + str(payload["embedded"])
    raise ValueError("images.download needs url, path or embedded")


class ImageService:
    def __init__(self, storage: Storage, settings: ImageSettings, fetcher: Fetcher) -> None:
        self.settings = settings
        self.store = ImageStore(storage)
        self.fetcher = fetcher
        self._rendering: dict[str, asyncio.Lock] = {}

    async def acquire(self, payload: dict[str, Any], roots: Sequence[str] = ()) -> ImageFacts:
        """Fetch or read the image a payload names, verify it and store the file.

        Files (artwork beside the media, NFO thumbs, audio with a cover) are opened only
        inside `roots`, the library folders, with every symlink resolved at open time.
        """
        if payload.get("url"):
            _, data = await self.fetcher.fetch(
                str(payload["url"]), self.settings.max_download_bytes
            )
        elif payload.get("path"):
            data = await asyncio.to_thread(self._read_file, str(payload["path"]), list(roots))
        else:
            data = await asyncio.to_thread(self._read_cover, str(payload["embedded"]), list(roots))
        return await self.acquire_bytes(data)

    async def acquire_bytes(self, data: bytes) -> ImageFacts:
        facts = await asyncio.to_thread(inspect_image, data, self.settings.max_pixels)
        await self.store.save_original(facts.content_hash, facts.format, data)
        return facts

    def _read_file(self, path: str, roots: list[str]) -> bytes:
        with _open_in_library(path, roots) as file:
            size = os.fstat(file.fileno()).st_size
            if size > self.settings.max_download_bytes:
                raise ImageRefused("too_large", f"{size} bytes, above the limit")
            return file.read()

    def _read_cover(self, path: str, roots: list[str]) -> bytes:
        with _open_in_library(path, roots) as file:
            cover = embedded_cover(file, self.settings.max_download_bytes)
        if cover is None:
            raise ImageRefused("not_found", "the file has no embedded cover")
        return cover

    async def record_stored(
        self, session: AsyncSession, source: str, facts: ImageFacts
    ) -> uuid.UUID:
        image_id = await repository.upsert_image(session, facts)
        await repository.record_source(session, source, "stored", image_id=image_id)
        return image_id

    async def record_refused(self, session: AsyncSession, source: str, exc: ImageRefused) -> None:
        status = "failed" if exc.transient else "refused"
        await repository.record_source(session, source, status, f"{exc.code}: {exc.reason}")

    def variant_box(self, width: int | None, height: int | None) -> tuple[int, int]:
        """Requested size snapped to the ladder and capped; unspecified means 'up to the cap'."""
        cap = self.settings.max_variant_size
        return snap_size(width, cap) or 0, snap_size(height, cap) or 0

    async def variant(
        self, image: Image, width: int | None, height: int | None, fmt: VariantFormat
    ) -> str | None:
        """The stored variant's key, rendered on first request; None: the original is gone."""
        w, h = self.variant_box(width, height)
        key = self.store.variant_key(image.content_hash, w, h, fmt)
        if await self.store.exists(key):
            return key
        lock = self._rendering.setdefault(key, asyncio.Lock())
        async with lock:
            if not await self.store.exists(key):
                original = await self.store.read(
                    self.store.original_key(image.content_hash, image.format)
                )
                if original is None:
                    return None
                data = await asyncio.to_thread(self._render, image, original, w, h, fmt)
                await self.store.save_variant(key, data, fmt)
        self._rendering.pop(key, None)
        return key

    def _render(self, image: Image, original: bytes, w: int, h: int, fmt: VariantFormat) -> bytes:
        cap = self.settings.max_variant_size
        return render_variant(
            original,
            cast(ImageFormat, image.format),
            w or cap,
            h or cap,
            fmt,
            self.settings.max_pixels,
        )


async def get_image(session: AsyncSession, image_id: uuid.UUID) -> Image:
    """A stored image by id; NotFound when there is none."""
    return must_exist(await repository.get_image(session, image_id), "No such image.")


# Which linked image stands for an item when a player asks for "its" artwork.
_COVER_KINDS = ("cover", "poster", "primary", "thumb", "photo", "backdrop")


async def item_cover(session: AsyncSession, item_kind: str, item_id: uuid.UUID) -> Image | None:
    """The item's cover (or closest kind of artwork), if it has any."""
    linked = dict(await repository.item_images(session, item_kind, item_id))
    for kind in _COVER_KINDS:
        if kind in linked:
            return linked[kind]
    return next(iter(linked.values()), None)


async def item_covers(
    session: AsyncSession, item_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, Image]]:
    """Each item's cover (as `item_cover` picks it), for a whole page of items in one query."""
    linked: dict[uuid.UUID, dict[str, Image]] = {}
    for item_id, kind, image in await repository.images_of_items(session, item_ids):
        linked.setdefault(item_id, {})[kind] = image
    found = {}
    for item_id, images in linked.items():
        kind = next((k for k in _COVER_KINDS if k in images), next(iter(images)))
        found[item_id] = (kind, images[kind])
    return found
