"""Audiobooks read API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from revenge.catalog.audiobooks import repository as repo
from revenge.catalog.audiobooks.models import Audiobook
from revenge.catalog.browse_routes import BrowseDep
from revenge.catalog.keyset import check_keys
from revenge.catalog.schemas import FileOut, Page, PlayableFlags, UserStateOut
from revenge.images.schemas import ItemImageOut

router = APIRouter()


class AudiobookOut(PlayableFlags):
    id: uuid.UUID
    library_id: uuid.UUID
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


class AudiobookDetail(AudiobookOut):
    description: str | None
    images: list[ItemImageOut]
    chapters: list[ChapterOut]
    files: list[FileOut]
    user_state: UserStateOut


def _out(book: Audiobook, people: dict[str, list[str]]) -> AudiobookOut:
    return AudiobookOut(
        id=book.id, library_id=book.library_id, title=book.title,
        authors=people.get("author", []), narrators=people.get("narrator", []),
        series_name=book.series_name, series_position=book.series_position, year=book.year,
        duration_seconds=book.duration_seconds, created_at=book.created_at,
    )  # fmt: skip


FILTERS = ("author",)


@router.get("")
async def list_audiobooks(
    request: Request,
    browse: BrowseDep,
    sort: Annotated[str, Query(json_schema_extra={"enum": list(repo.SORTS)})] = "title",
    author: str | None = None,
) -> Page[AudiobookOut]:
    """Audiobooks by title, year, added or series (then position); `next_cursor` pages on."""
    check_keys(request, sort, repo.SORTS, FILTERS)
    books, total, following = await repo.list_books(browse.session, browse, sort, author)
    people = await repo.people_of(browse.session, [b.id for b in books])
    items = [_out(b, people[b.id]) for b in books]
    await browse.flag("audiobook", items)
    return browse.page(items, total, following)


@router.get("/{book_id}")
async def get_audiobook(book_id: uuid.UUID, browse: BrowseDep) -> AudiobookDetail:
    book = await browse.one(repo.get_book, "audiobook", book_id)
    people = await repo.people_of(browse.session, [book.id])
    chapters = [
        ChapterOut.model_validate(c, from_attributes=True)
        for c in await repo.chapters_of(browse.session, book.id)
    ]
    files = await browse.files([book.id])
    states = await browse.states([book.id])
    detail = AudiobookDetail(
        **_out(book, people[book.id]).model_dump(),
        description=book.description,
        images=await browse.images("audiobook", book.id),
        chapters=chapters,
        files=files.get(book.id, []),
        user_state=states[book.id],
    )
    await browse.flag("audiobook", [detail])
    return detail
