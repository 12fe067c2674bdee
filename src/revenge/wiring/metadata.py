"""Composition of the metadata feature over the real catalogue and stored provider keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from revenge.metadata import MetadataFeature, install
from revenge.metadata.errors import NoProviderKey
from revenge.metadata.provider_credentials.service import NoProviderKey as NoStoredKey

if TYPE_CHECKING:
    from revenge.catalog.metadata_fields import Collector
    from revenge.runtime import Runtime


class CredentialKeys:
    """`KeySource` over the encrypted provider credentials an administrator stored."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    async def get(self, service: str) -> str:
        # Asked before every provider request: a key read lately is not read again.
        known = self._runtime.credentials.remembered(service)
        if known is not None:
            return known
        try:
            async with self._runtime.db.transaction() as session:
                return await self._runtime.credentials.reveal(session, service, remember=True)
        except NoStoredKey as exc:
            raise NoProviderKey(service, str(exc)) from exc


def build(runtime: Runtime, collect: Collector) -> MetadataFeature:
    """Install the metadata feature with the catalogue writer, stored keys and image links;
    `collect` keeps the provider collections items belong to."""
    from revenge.catalog.image_links import ItemImageLinker
    from revenge.catalog.metadata_writer import CatalogMetadataWriter
    from revenge.catalog.registry import KINDS

    kinds = [k.providers() for k in KINDS if k.providers is not None]
    feature = install(
        runtime, CredentialKeys(runtime), CatalogMetadataWriter(runtime, collect), kinds
    )
    runtime.image_linker = ItemImageLinker()
    for part in (feature.limiter, feature.breaker):
        close = getattr(part, "close", None)
        if close is not None:
            runtime.closers.append(close)
    return feature
