"""Search documents built from the catalogue tables, one SQL query per item kind.

Each kind declares its query (`ContentKind.search`, SQL in its package's repository): it
returns (id, library_id, title, original_title, sort_title, names, people, year, overview,
genres). People are the names credited on the item (cast, crew, authors), so searching an
actor finds their films.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from revenge.catalog.registry import KINDS
from revenge.search.folding import fold, key, terms

# Every kind with search documents, in registration order.
ITEM_TYPES = KINDS.names(lambda k: k.search)


@dataclass(slots=True)
class Document:
    item_type: str
    item_id: uuid.UUID
    library_id: uuid.UUID
    title: str
    original_title: str | None
    sort_title: str | None
    names: str | None
    people: str | None
    year: int | None
    overview: str | None
    genres: tuple[str, ...] = ()

    def params(self) -> dict[str, Any]:
        """Row values, with the folded texts each tsvector weight is made of."""
        titles = (terms(t).text() for t in (self.title, self.original_title, self.sort_title) if t)
        names = " ".join(t for t in (self.names, self.people) if t)
        folded_names = fold(names)
        return {
            "item_type": self.item_type, "item_id": self.item_id, "library_id": self.library_id,
            "title": self.title, "original_title": self.original_title,
            "sort_title": self.sort_title, "names": self.names, "people": self.people,
            "genres": list(self.genres), "year": self.year, "overview": self.overview,
            "folded_title": key(self.title), "folded_names": folded_names,
            "wa": " ".join(titles), "wb": terms(names).text(), "wc": fold(" ".join(self.genres)),
            "wd": fold(self.overview or ""),
        }  # fmt: skip


def document_of(item_type: str, row: tuple[Any, ...]) -> Document:
    item_id, library_id, title, original, sort, names, people, year, overview, genres = row
    return Document(
        item_type, item_id, library_id, title, original, sort, names, people, year, overview,
        tuple(genres or ()),
    )  # fmt: skip
