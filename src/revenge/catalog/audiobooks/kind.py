"""Audiobooks (and references to one of their chapters) as content kinds."""

from __future__ import annotations

from revenge.catalog.audiobooks import kind_repository as q
from revenge.catalog.audiobooks import models
from revenge.catalog.audiobooks.models import Audiobook
from revenge.catalog.kinds import ContentKind, ContentModule, lazy

AUDIOBOOK = ContentKind(
    name="audiobook", model=Audiobook, reference=q.audiobook_reference,
    search=q.AUDIOBOOK_SEARCH, playable=True, top_level=True, media="audio",
    collection="audio",
    writer=lazy(".metadata_writer:AudiobookWriter", __package__, build=True),
    providers=lazy(".providers:AUDIOBOOK", __package__),
)  # fmt: skip
# A place in a playlist: the audiobook's id and a chapter position, not a row of its own.
CHAPTER = ContentKind(
    name="audiobook_chapter", model=Audiobook, reference=q.chapter_reference, media="audio",
    images=False,
)  # fmt: skip
MODULE = ContentModule(
    library_type="audiobook", kinds=(AUDIOBOOK, CHAPTER), prefix="/api/v1/audiobooks",
    tag="audiobooks",
    cataloguer=lazy(".cataloguer:AudiobooksCataloguer", __package__, build=True),
    routes=lazy(".routes:router", __package__), models=(models,),
)  # fmt: skip
