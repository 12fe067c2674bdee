"""Artwork: safe download, content-addressed storage, blurhash, resized variants."""

from __future__ import annotations

from typing import TYPE_CHECKING

from revenge.images.fetch import SafeFetcher
from revenge.images.service import ImageService
from revenge.infra.storage import open_storage

if TYPE_CHECKING:
    from revenge.runtime import Runtime


def image_service(runtime: Runtime) -> ImageService:
    """The runtime's image service, built on first use (its fetcher is closed with the runtime)."""
    service = runtime.images
    if service is None:
        fetcher = SafeFetcher(runtime.server_settings.outbound_allowlist)
        runtime.closers.append(fetcher.aclose)
        settings = runtime.settings
        storage = open_storage(settings.storage, settings.data_dir)
        service = ImageService(storage, settings.images, fetcher)
        runtime.images = service
    return service
