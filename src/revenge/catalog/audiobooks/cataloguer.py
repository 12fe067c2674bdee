"""The audiobooks module as the scanner sees it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from psycopg import AsyncConnection

from revenge.catalog.audiobooks import repository as repo
from revenge.catalog.audiobooks.placement import BookPlan, plan_book
from revenge.catalog.text import sort_title
from revenge.catalog.types import BaseCataloguer, FileToPlace, Placed, Placement
from revenge.libraries.naming import display_case, nfc, numbered_title


class AudiobooksCataloguer(BaseCataloguer, media="audio", orphans=repo.delete_orphans):
    async def place(
        self, conn: AsyncConnection[Any], library_id: uuid.UUID, files: list[FileToPlace]
    ) -> Placed:
        plans = {
            f.file_id: plan_book(f.parts, f.facts.tags if f.facts is not None else {})
            for f in files
        }
        books: dict[str, BookPlan] = {}
        for plan in plans.values():
            books.setdefault(plan.key, plan)
        rows = {
            key: {
                "title": b.title,
                "sort_title": sort_title(b.title),
                "series_name": b.series,
                "series_position": b.position,
                "year": b.year,
                "asin": b.asin,
            }
            for key, b in books.items()
        }
        ids, created = await repo.upsert_books(conn, library_id, rows)
        await repo.replace_people(
            conn, {ids[k]: (b.authors, b.narrators) for k, b in books.items()}
        )
        placed = Placed()
        for file_id, plan in plans.items():
            placed.placements[file_id] = Placement("audiobook", ids[plan.key])
        placed.new_items = [("audiobook", i) for i in created]
        placed.touched_items = [("audiobook", i) for i in set(ids.values())]
        return placed

    async def finish(
        self, conn: AsyncConnection[Any], library_id: uuid.UUID, item_ids: set[uuid.UUID]
    ) -> None:
        """Rebuild chapters (embedded ones, or one per file) of the books that changed."""
        files = await repo.present_files(conn, item_ids)
        by_book: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
        for row in files:
            by_book[row["item_id"]].append(row)
        chapters: dict[uuid.UUID, list[tuple[str, uuid.UUID, float, float | None]]] = {}
        durations: dict[uuid.UUID, float | None] = {}
        for book_id in item_ids:
            chapters[book_id] = _chapters(by_book.get(book_id, []))
            known = [r["duration_seconds"] for r in by_book.get(book_id, [])]
            durations[book_id] = sum(d for d in known if d) or None
        await repo.replace_chapters(conn, chapters, durations)


def _chapters(files: list[dict[str, Any]]) -> list[tuple[str, uuid.UUID, float, float | None]]:
    """Embedded chapters of a single-file book, else one chapter per file in order."""
    if len(files) == 1:
        embedded = (files[0]["tags"] or {}).get("chapters") or []
        if embedded:
            return [(str(t), files[0]["id"], float(s), e) for t, s, e in embedded]
    named = {r["id"]: _chapter_name(r) for r in files}
    ordered = sorted(
        files,
        key=lambda r: (
            (r["tags"] or {}).get("disc") or 0,
            (r["tags"] or {}).get("track") or named[r["id"]][0] or 0,
            r["path"],
        ),
    )
    out: list[tuple[str, uuid.UUID, float, float | None]] = []
    for r in ordered:
        title = (r["tags"] or {}).get("title") or named[r["id"]][1]
        out.append((title, r["id"], 0.0, r["duration_seconds"]))
    return out


def _chapter_name(row: dict[str, Any]) -> tuple[int | None, str]:
    """Chapter number and title from a file name: "Book 10 - The Storm.mp3" is chapter 10."""
    folder, _, name = row["path"].rpartition("/")
    book = nfc(folder.rsplit("/", 1)[-1])
    number, title = numbered_title(name.rsplit(".", 1)[0], book)
    return number, display_case(title)
