"""SQL of the audiobooks module."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.audiobooks.models import Audiobook, AudiobookChapter, AudiobookPerson
from revenge.catalog.bulk import KeyedUpsert
from revenge.catalog.people.repository import delete_orphan_credits
from revenge.catalog.repository import (
    delete_orphan_states,
    keyset_page,
    no_files_left,
    scoped,
)

if TYPE_CHECKING:
    from revenge.catalog.browse import Browse

SORTS = {
    "title": Audiobook.sort_title,
    "year": Audiobook.year,
    "added": Audiobook.created_at,
    "series": Audiobook.series_name,
}
_BOOKS = (
    ("title", "text"),
    ("sort_title", "text"),
    ("series_name", "text"),
    ("series_position", "float8"),
    ("year", "int"),
    ("asin", "text"),
)


upsert_books = KeyedUpsert("audiobooks", _BOOKS)


async def replace_people(
    conn: AsyncConnection[Any], people: dict[uuid.UUID, tuple[list[str], list[str]]]
) -> None:
    """Set the authors and narrators of each book (credit order kept)."""
    book_ids, roles, positions, names = [], [], [], []
    for book_id, (authors, narrators) in people.items():
        for role, group in (("author", authors), ("narrator", narrators)):
            for i, name in enumerate(group):
                book_ids.append(book_id)
                roles.append(role)
                positions.append(i)
                names.append(name)
    async with conn.cursor() as cur:
        await cur.execute(
            "DELETE FROM audiobook_people WHERE audiobook_id = ANY(%s::uuid[])", [list(people)]
        )
        await cur.execute(
            "INSERT INTO audiobook_people (audiobook_id, role, position, name)"
            " SELECT * FROM unnest(%s::uuid[], %s::text[], %s::int[], %s::text[])",
            [book_ids, roles, positions, names],
        )


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
    cols: list[list[Any]] = [[], [], [], [], [], []]
    for book_id, items in chapters.items():
        for i, (title, file_id, start, end) in enumerate(items):
            for col, value in zip(cols, (book_id, i + 1, title, file_id, start, end), strict=True):
                col.append(value)
    async with conn.cursor() as cur:
        await cur.execute(
            "DELETE FROM audiobook_chapters WHERE audiobook_id = ANY(%s::uuid[])", [list(chapters)]
        )
        await cur.execute(
            "INSERT INTO audiobook_chapters"
            " (audiobook_id, position, title, media_file_id, start_seconds, end_seconds)"
            " SELECT * FROM unnest(%s::uuid[], %s::int[], %s::text[], %s::uuid[],"
            " %s::float8[], %s::float8[])",
            cols,
        )
        await cur.execute(
            "UPDATE audiobooks SET duration_seconds = u.d FROM unnest(%s::uuid[], %s::float8[])"
            " AS u(id, d) WHERE audiobooks.id = u.id",
            [list(durations), list(durations.values())],
        )


async def delete_orphans(session: AsyncSession) -> int:
    result = await session.execute(delete(Audiobook).where(no_files_left(Audiobook.id)))
    removed = int(getattr(result, "rowcount", 0) or 0)
    removed += await delete_orphan_credits(session, "audiobook", Audiobook.__table__)
    return removed + await delete_orphan_states(session, "audiobook", Audiobook.__table__)


async def list_books(
    session: AsyncSession, browse: Browse, sort: str, author: str | None = None
) -> tuple[list[Audiobook], int, str | None]:
    """A page of audiobooks the caller may see, with the cursor of the next page."""
    stmt = scoped(select(Audiobook), Audiobook.library_id, browse.allowed, browse.library_id)
    if author:
        stmt = stmt.where(
            select(AudiobookPerson.audiobook_id)
            .where(
                AudiobookPerson.audiobook_id == Audiobook.id,
                AudiobookPerson.role == "author",
                AudiobookPerson.name.ilike(author),
            )
            .exists()
        )
    # A series lists its books in reading order, whichever way the series names run.
    then = (Audiobook.series_position,) if sort == "series" else ()
    return await keyset_page(
        session, stmt, Audiobook.id, SORTS[sort], sort, browse.descending, browse.limit,
        browse.offset, browse.cursor, browse.counter(per_user=False), then,
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


async def get_book(
    session: AsyncSession, book_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> Audiobook | None:
    stmt = scoped(
        select(Audiobook).where(Audiobook.id == book_id), Audiobook.library_id, allowed, None
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def chapters_of(session: AsyncSession, book_id: uuid.UUID) -> list[AudiobookChapter]:
    rows = await session.execute(
        select(AudiobookChapter)
        .where(AudiobookChapter.audiobook_id == book_id)
        .order_by(AudiobookChapter.position)
    )
    return list(rows.scalars())
