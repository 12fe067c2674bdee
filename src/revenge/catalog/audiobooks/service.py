"""Audiobooks as the native routes and the player protocols read them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.audiobooks import lists_repository as repo
from revenge.catalog.audiobooks import repository as catalogue
from revenge.catalog.audiobooks.models import Audiobook, AudiobookChapter

if TYPE_CHECKING:
    from revenge.catalog.browse import Browse

SORTS = tuple(catalogue.SORTS)
# Names by role ("author", "narrator"), in credit order.
People = dict[str, list[str]]
B = TypeVar("B", Audiobook, Row[Any])


async def page(
    browse: Browse, sort: str, author: str | None
) -> tuple[list[tuple[Row[Any], People]], int, str | None]:
    """A page of the audiobooks the caller may see (by one author when asked), each with its
    people; the rows carry the caller's `played` and `missing` flags."""
    books, total, following = await catalogue.list_books(browse.session, browse, sort, author)
    return await with_people(browse.session, books), total, following


async def with_people(session: AsyncSession, books: Sequence[B]) -> list[tuple[B, People]]:
    """Each book (an instance or a list's row) with its people."""
    people = await catalogue.people_of(session, [b.id for b in books])
    return [(b, people[b.id]) for b in books]


async def chapters(session: AsyncSession, book_id: uuid.UUID) -> list[AudiobookChapter]:
    return await catalogue.chapters_of(session, book_id)


async def by_ids(
    session: AsyncSession, allowed: set[uuid.UUID] | None, ids: Sequence[uuid.UUID]
) -> list[Any]:
    """Visible audiobooks among these ids, with their first author."""
    return await repo.by_ids(session, allowed, ids) if ids else []
