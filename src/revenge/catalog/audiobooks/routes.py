"""Audiobooks read API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from revenge.api.params import reads_query_as
from revenge.catalog.audiobooks import service
from revenge.catalog.audiobooks.models import Audiobook
from revenge.catalog.browse_routes import BrowseDep, SortedQuery, listing, sort_field
from revenge.catalog.schemas import Illustrated, InLibrary, Page, PlayableFlags, PlayedOut

if TYPE_CHECKING:
    from sqlalchemy import Row

router = APIRouter()


class AudiobookOut(InLibrary, PlayableFlags):
    title: str
    authors: list[str]
    narrators: list[str]
    series_name: str | None
    series_position: float | None
    year: int | None
    duration_seconds: float | None
    created_at: datetime


class ChapterOut(BaseModel):
    position: int
    title: str
    media_file_id: uuid.UUID | None
    start_seconds: float
    end_seconds: float | None


class AudiobookDetail(AudiobookOut, Illustrated, PlayedOut):
    description: str | None
    chapters: list[ChapterOut]


def _out(
    found: tuple[Audiobook | Row[Any], service.People], played: bool = False,
    missing: bool = False,
) -> AudiobookOut:  # fmt: skip
    """A book with its people, and the caller's flags of it."""
    book, people = found
    return AudiobookOut(
        played=played, missing=missing, id=book.id, library_id=book.library_id, title=book.title,
        authors=people.get("author", []), narrators=people.get("narrator", []),
        series_name=book.series_name, series_position=book.series_position, year=book.year,
        duration_seconds=book.duration_seconds, created_at=book.created_at,
    )  # fmt: skip


class AudiobookQuery(SortedQuery):
    SORTS = service.SORTS
    sort: str = sort_field(SORTS, "title")
    author: str | None = None


@router.get("")
@reads_query_as(AudiobookQuery)
async def list_audiobooks(request: Request) -> Page[AudiobookOut]:
    """Audiobooks by title, year, added or series (then position); `next_cursor` pages on."""
    async with listing(request, AudiobookQuery) as (browse, q):
        found = await service.page(browse, q.sort, q.author)
        return browse.listed(found, lambda row: _out(row, row[0].played, row[0].missing))


@router.get("/{book_id}")
async def get_audiobook(book_id: uuid.UUID, browse: BrowseDep) -> AudiobookDetail:
    book = await browse.item("audiobook", book_id)
    (found,) = await service.with_people(browse.session, [book])
    chapters = [
        ChapterOut.model_validate(c, from_attributes=True)
        for c in await service.chapters(browse.session, book.id)
    ]
    detail = AudiobookDetail(
        **_out(found).model_dump(), description=book.description, chapters=chapters,
        **await browse.about("audiobook", book.id, people=False),
    )  # fmt: skip
    await browse.flag("audiobook", [detail])
    return detail
