"""Audiobooks (and references to one of their chapters) as content kinds."""

from __future__ import annotations

from revenge.catalog.audiobooks import kind_repository as q
from revenge.catalog.audiobooks.models import Audiobook
from revenge.catalog.kinds import ContentKind, content_module, declared

AUDIOBOOK = ContentKind(
    name="audiobook", model=Audiobook, reference=q.audiobook_reference,
    search=q.AUDIOBOOK_SEARCH, playable=True, top_level=True, media="audio",
    collection="audio",
    **declared(__package__, writer="AudiobookWriter", providers="AUDIOBOOK"),
)  # fmt: skip
# A place in a playlist: the audiobook's id and a chapter position, not a row of its own.
CHAPTER = ContentKind(
    name="audiobook_chapter", model=Audiobook, reference=q.chapter_reference, media="audio",
    images=False,
)  # fmt: skip
MODULE = content_module(
    __package__, "audiobook", (AUDIOBOOK, CHAPTER), tag="audiobooks",
    cataloguer="AudiobooksCataloguer",
)  # fmt: skip
