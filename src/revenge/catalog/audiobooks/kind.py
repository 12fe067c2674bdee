"""Audiobooks (and references to one of their chapters) as content kinds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from revenge.catalog.audiobooks import kind_repository as q
from revenge.catalog.audiobooks.models import Audiobook
from revenge.catalog.kinds import ContentKind, ContentModule

if TYPE_CHECKING:
    from fastapi import APIRouter

    from revenge.catalog.metadata_fields import KindMetadata
    from revenge.catalog.types import Cataloguer
    from revenge.metadata.kinds import ProviderKind


def _cataloguer() -> Cataloguer:
    from revenge.catalog.audiobooks.cataloguer import AudiobooksCataloguer

    return AudiobooksCataloguer()


def _routes() -> Sequence[APIRouter]:
    from revenge.catalog.audiobooks.routes import router

    return (router,)


def _writer() -> KindMetadata:
    from revenge.catalog.audiobooks.metadata_writer import AudiobookWriter

    return AudiobookWriter()


def _providers() -> ProviderKind:
    from revenge.catalog.audiobooks.providers import AUDIOBOOK

    return AUDIOBOOK


AUDIOBOOK = ContentKind(
    name="audiobook", model=Audiobook, reference=q.audiobook_reference,
    search=q.AUDIOBOOK_SEARCH, playable=True, top_level=True, media="audio",
    collection="audio", writer=_writer, providers=_providers,
)  # fmt: skip
# A place in a playlist: the audiobook's id and a chapter position, not a row of its own.
CHAPTER = ContentKind(
    name="audiobook_chapter", model=Audiobook, reference=q.chapter_reference, media="audio",
    images=False,
)  # fmt: skip
MODULE = ContentModule(
    library_type="audiobook", kinds=(AUDIOBOOK, CHAPTER), cataloguer=_cataloguer,
    routes=_routes, prefix="/api/v1/audiobooks", tag="audiobooks",
    models=("revenge.catalog.audiobooks.models",),
)  # fmt: skip
