"""SQL of the audiobooks module."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import repository as shared
from revenge.catalog.audiobooks.models import Audiobook, AudiobookChapter, AudiobookPerson
from revenge.catalog.bulk import KeyedUpsert, replace_children

SORTS = shared.sorts(Audiobook, "title", "year", "added", "series")


upsert_books = KeyedUpsert.of(
    Audiobook, "title", "sort_title", "series_name", "series_position", "year", "asin"
)


_PEOPLE = ("audiobook_id", "role", "position", "name")
_CHAPTERS = ("audiobook_id", "position", "title", "media_file_id", "start_seconds", "end_seconds")


async def replace_people(
    conn: AsyncConnection[Any], people: dict[uuid.UUID, tuple[list[str], list[str]]]
) -> None:
    """Set the authors and narrators of each book (credit order kept)."""
    rows = [
        (book_id, role, i, name)
        for book_id, (authors, narrators) in people.items()
        for role, group in (("author", authors), ("narrator", narrators))
        for i, name in enumerate(group)
    ]
    await replace_children(conn, AudiobookPerson, _PEOPLE, people, rows)


async def present_files(
    conn: AsyncConnection[Any], book_ids: set[uuid.UUID]
) -> list[dict[str, Any]]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            "SELECT id, item_id, path, tags, duration_seconds FROM media_files"
            " WHERE item_id = ANY(%s::uuid[]) AND item_kind = 'audiobook'"
            " AND missing_since IS NULL",
            [list(book_ids)],
        )
        return await cur.fetchall()


async def replace_chapters(
    conn: AsyncConnection[Any],
    chapters: dict[uuid.UUID, list[tuple[str, uuid.UUID, float, float | None]]],
    durations: dict[uuid.UUID, float | None],
) -> None:
    """Set the chapters of each book (numbered from 1) and its running time."""
    rows = [
        (book_id, i + 1, title, file_id, start, end)
        for book_id, items in chapters.items()
        for i, (title, file_id, start, end) in enumerate(items)
    ]
    await replace_children(conn, AudiobookChapter, _CHAPTERS, chapters, rows)
    async with conn.cursor() as cur:
        await cur.execute(
            "UPDATE audiobooks SET duration_seconds = u.d FROM unnest(%s::uuid[], %s::float8[])"
            " AS u(id, d) WHERE audiobooks.id = u.id",
            [list(durations), list(durations.values())],
        )


async def delete_orphans(session: AsyncSession) -> int:
    gone = [("audiobook", Audiobook)]
    deletes = [delete(Audiobook).where(shared.no_files_left(Audiobook.id))]
    return await shared.purge_orphans(session, deletes, states=gone, credits=gone)


def _books(by_author: bool) -> Select[Any]:
    stmt = shared.listing(Audiobook)
    if by_author:
        stmt = stmt.where(
            select(AudiobookPerson.audiobook_id)
            .where(
                AudiobookPerson.audiobook_id == Audiobook.id,
                AudiobookPerson.role == "author",
                AudiobookPerson.name.ilike(shared.param("author", AudiobookPerson.name)),
            )
            .exists()
        )
    return stmt


async def list_books(
    session: AsyncSession, browse: shared.Window, sort: str, author: str | None = None
) -> tuple[list[Any], int, str | None]:
    """A page of audiobooks the caller may see (rows of the table's columns, with the
    caller's `played` and `missing` flags), with the cursor of the next page."""
    by_author = bool(author)
    # A series lists its books in reading order, whichever way the series names run.
    then = (Audiobook.series_position,) if sort == "series" else ()
    return await shared.keyset_rows(
        session, ("audiobooks", by_author), partial(_books, by_author), Audiobook,
        SORTS[sort], sort, browse, values={"author": author}, then=then, flags="audiobook",
    )  # fmt: skip


async def people_of(
    session: AsyncSession, book_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[str, list[str]]]:
    rows = await session.execute(
        select(AudiobookPerson)
        .where(AudiobookPerson.audiobook_id.in_(book_ids))
        .order_by(AudiobookPerson.role, AudiobookPerson.position)
    )
    out: dict[uuid.UUID, dict[str, list[str]]] = {
        b: {"author": [], "narrator": []} for b in book_ids
    }
    for person in rows.scalars():
        out[person.audiobook_id][person.role].append(person.name)
    return out


async def chapters_of(session: AsyncSession, book_id: uuid.UUID) -> list[AudiobookChapter]:
    chapter = AudiobookChapter
    return await shared.children(session, chapter.audiobook_id, book_id, (chapter.position,))
