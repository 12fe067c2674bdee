"""SQL the shared features read audiobooks and their chapters with."""

from __future__ import annotations

from typing import Any

from sqlalchemy import null, select

from revenge.catalog.audiobooks.models import Audiobook, AudiobookChapter
from revenge.catalog.kinds import SearchSource


def audiobook_reference() -> Any:
    return select(Audiobook.id, Audiobook.library_id, Audiobook.title, null(), Audiobook.year)


def chapter_reference() -> Any:
    """A chapter is referred to by its audiobook's id and its position."""
    return select(
        Audiobook.id, Audiobook.library_id, AudiobookChapter.title, Audiobook.title,
        Audiobook.year, AudiobookChapter.position,
    ).join(AudiobookChapter, AudiobookChapter.audiobook_id == Audiobook.id)  # fmt: skip


AUDIOBOOK_SEARCH = SearchSource(
    """SELECT m.id, m.library_id, m.title, NULL, m.sort_title, m.series_name,
       (SELECT string_agg(p.name, ' ') FROM audiobook_people p
        WHERE p.audiobook_id = m.id), m.year, m.description, m.genres
       FROM audiobooks m"""
)
