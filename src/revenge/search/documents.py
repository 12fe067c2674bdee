"""Search documents built from the catalogue tables, one SQL query per item type.

Each query returns (id, library_id, title, original_title, sort_title, names, people,
year, overview, genres) for the given ids, or for every row when ids is None (full rebuild).
People are the names credited on the item (cast, crew, authors), so searching an actor finds
their films.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.search.folding import fold, key, terms


def _credits(kind: str) -> str:
    """Names of the people credited on the row `m`, in billing order."""
    return f"""(SELECT string_agg(p.name, ' ' ORDER BY ip.position) FROM item_people ip
               JOIN people p ON p.id = ip.person_id
               WHERE ip.item_kind = '{kind}' AND ip.item_id = m.id)"""


_SOURCES = {
    "movie": f"""SELECT id, library_id, title, original_title, sort_title, NULL,
                 {_credits("movie")}, year, overview, genres FROM movies m""",
    "series": f"""SELECT id, library_id, title, original_title, sort_title, NULL,
                  {_credits("series")}, year, overview, genres FROM series m""",
    "episode": f"""SELECT m.id, m.library_id, m.title, NULL, NULL, s.title,
                   {_credits("episode")}, extract(year FROM m.air_date)::int, m.overview, NULL
                   FROM episodes m JOIN series s ON s.id = m.series_id""",
    "artist": """SELECT id, library_id, name, NULL, sort_name, NULL, NULL, NULL, NULL, NULL
                 FROM artists m""",
    "album": """SELECT m.id, m.library_id, m.title, NULL, m.sort_title, a.name, NULL, m.year, NULL,
                m.genres FROM albums m LEFT JOIN artists a ON a.id = m.album_artist_id""",
    "track": """SELECT m.id, m.library_id, m.title, NULL, NULL,
                concat_ws(' ', m.artist_name, al.title), NULL, al.year, NULL, NULL
                FROM tracks m JOIN albums al ON al.id = m.album_id""",
    "audiobook": """SELECT m.id, m.library_id, m.title, NULL, m.sort_title, m.series_name,
                    (SELECT string_agg(p.name, ' ') FROM audiobook_people p
                     WHERE p.audiobook_id = m.id), m.year, m.description, m.genres
                    FROM audiobooks m""",
    "podcast": """SELECT id, library_id, title, NULL, sort_title, author, NULL, NULL,
                  description, NULL FROM podcasts m""",
    "podcast_episode": """SELECT m.id, m.library_id, m.title, NULL, NULL, p.title, NULL,
                          extract(year FROM m.published_on)::int, m.description, NULL
                          FROM podcast_episodes m JOIN podcasts p ON p.id = m.podcast_id""",
}
ITEM_TYPES = tuple(_SOURCES)

# What an item belongs to, by type: (parent type, SQL of the parent ids of :ids).
_PARENTS = {
    "track": [
        ("album", "SELECT DISTINCT album_id FROM tracks WHERE id IN :ids"),
        (
            "artist",
            """SELECT artist_id FROM tracks WHERE id IN :ids AND artist_id IS NOT NULL
                      UNION SELECT al.album_artist_id FROM tracks t JOIN albums al
                      ON al.id = t.album_id WHERE t.id IN :ids
                      AND al.album_artist_id IS NOT NULL""",
        ),
    ],
    "album": [
        (
            "artist",
            """SELECT DISTINCT album_artist_id FROM albums WHERE id IN :ids
                      AND album_artist_id IS NOT NULL""",
        ),
    ],
    "episode": [("series", "SELECT DISTINCT series_id FROM episodes WHERE id IN :ids")],
    "podcast_episode": [
        ("podcast", "SELECT DISTINCT podcast_id FROM podcast_episodes WHERE id IN :ids")
    ],
}


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


async def load(
    session: AsyncSession, item_type: str, ids: list[uuid.UUID] | None
) -> Iterator[Document]:
    """Documents of one type: of the given ids, or all of them."""
    sql = _SOURCES[item_type]
    params: dict[str, Any] = {}
    stmt = text(sql)
    if ids is not None:
        stmt = text(sql + " WHERE m.id IN :ids").bindparams(bindparam("ids", expanding=True))
        params["ids"] = ids
    rows = (await session.execute(stmt, params)).all()
    return (document_of(item_type, tuple(row)) for row in rows)


async def parents(
    session: AsyncSession, item_type: str, ids: set[uuid.UUID]
) -> list[tuple[str, set[uuid.UUID]]]:
    """The items that the given items belong to (album and artists of tracks, ...)."""
    found = []
    for parent_type, sql in _PARENTS.get(item_type, []):
        stmt = text(sql).bindparams(bindparam("ids", expanding=True))
        rows = await session.execute(stmt, {"ids": list(ids)})
        found.append((parent_type, {row[0] for row in rows}))
    return found


def document_of(item_type: str, row: tuple[Any, ...]) -> Document:
    item_id, library_id, title, original, sort, names, people, year, overview, genres = row
    return Document(
        item_type, item_id, library_id, title, original, sort, names, people, year, overview,
        tuple(genres or ()),
    )  # fmt: skip
