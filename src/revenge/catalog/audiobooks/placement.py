"""Which audiobook a file belongs to, and who wrote and read it.

Layouts understood (tags win over folder names when present):
- "Author/Book Title/01 - Chapter.mp3": one book per folder, one chapter per file;
  "CD1"/"Disc 2" sub-folders belong to the book above them.
- "Author/Series/Vol 2 - 2004 - Title {Narrator}/...": series and position from the path.
- "Author/Book.m4b" or "Book.m4b" in the root: one book per file (chapters embedded).
Authors: album-artist or artist tag (split on , ; & "and"), else the author folder.
Narrators: narrator or composer tag, else "{Narrator}" in the book folder name.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

from revenge.catalog.text import norm
from revenge.libraries.naming import display_case

SINGLE_FILE_FORMATS = frozenset({"m4b"})
_NARRATOR = re.compile(r"\s*\{([^}]+)\}\s*")
_POSITION = re.compile(
    r"^(?:book|vol(?:ume)?\.?|part|#)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*(?:-|\.|:)\s+", re.I
)
_YEAR = re.compile(r"^\s*(\d{4})\s+-\s+|\s*[(\[](\d{4})[)\]]\s*")
# Only plain disc folders; "Vol 2 - Title" is a book of a series, not a disc.
_DISC_FOLDER = re.compile(r"^(?:cd|dis[ck])[\s._-]*\d{1,3}$", re.IGNORECASE)
_PEOPLE_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)


@dataclass(slots=True)
class BookPlan:
    key: str
    title: str
    authors: list[str] = field(default_factory=list)
    narrators: list[str] = field(default_factory=list)
    series: str | None = None
    position: float | None = None
    year: int | None = None
    asin: str | None = None


def split_people(text: str | None) -> list[str]:
    """ "A, B & C" -> ["A", "B", "C"]."""
    if not text:
        return []
    return [p for p in (part.strip() for part in _PEOPLE_SPLIT.split(text)) if p]


def parse_book_name(name: str) -> tuple[str, float | None, int | None, list[str]]:
    """(title, series position, year, narrators) from "Vol 2 - 2004 - Title {Reader}"."""
    narrators = split_people(m.group(1)) if (m := _NARRATOR.search(name)) else []
    rest = _NARRATOR.sub(" ", name).strip()
    position = None
    if (pos := _POSITION.match(rest)) is not None:
        position, rest = float(pos.group(1)), rest[pos.end() :]
    year = None
    if (found := _YEAR.search(rest)) is not None:
        year = int(found.group(1) or found.group(2))
        rest = (rest[: found.start()] + " " + rest[found.end() :]).strip(" -")
    return rest.strip() or name, position, year, narrators


def _book_folders(parts: tuple[str, ...]) -> list[str]:
    folders = list(parts[:-1])
    while folders and _DISC_FOLDER.match(folders[-1].strip()):
        folders.pop()
    return folders


def plan_book(parts: tuple[str, ...], tags: dict[str, Any]) -> BookPlan:
    """The book of a file at `parts` with tags (possibly empty)."""
    folders = _book_folders(parts)
    name = parts[-1]
    stem, _, ext = name.rpartition(".")
    per_file = not folders or (len(folders) == 1 and ext.lower() in SINGLE_FILE_FORMATS)
    source = stem if per_file else folders[-1]
    title, position, year, narrators = parse_book_name(source)
    authors = split_people(tags.get("album_artist") or tags.get("artist"))
    # The first folder names the author when a book folder (or a single-file book) is below it.
    if not authors and (len(folders) >= 2 or (per_file and len(folders) == 1)):
        authors = [display_case(folders[0])]
    series = tags.get("series") or (folders[1] if len(folders) >= 3 else None)
    if tags.get("series_part"):
        with contextlib.suppress(ValueError):
            position = float(str(tags["series_part"]).split("/")[0])
    key_path = "/".join([*folders, stem] if per_file else folders)
    return BookPlan(
        key="/".join(norm(p) for p in key_path.split("/")),
        title=tags.get("album") or display_case(title),
        authors=authors,
        narrators=split_people(tags.get("narrator") or tags.get("composer")) or narrators,
        series=series,
        position=position,
        year=tags.get("year") or year,
        asin=tags.get("asin"),
    )
