"""SQL of music lists for players: album lists by kind, tracks with their file, genres.

Pages are chosen first (ids in order, using the narrowest index the kind allows), then
hydrated by id, so the per-album counts are computed for one page only.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.db import raw

# Ties are broken by id in the direction of the key, so that a (key, id) index serves the
# order read either way (with `al.id` ascending after a descending key, PostgreSQL sorted every
# album for each page: 5 ms at 8,000 albums; 1 ms by the index).
ALBUM_ORDERS: dict[str, str] = {
    "newest": "al.created_at DESC, al.id DESC",
    "alphabeticalByName": "al.sort_title, al.id",
    "alphabeticalByArtist": "aa.sort_name NULLS LAST, al.sort_title, al.id",
    "random": "random()",
    "starred": "s.updated_at DESC, al.id",
    "highest": "s.rating DESC, al.sort_title, al.id",
    "byGenre": "al.sort_title, al.id",
}

# An album's columns, its album artist's name, its track count, length and the caller's plays
# of its tracks, and the caller's state of the album; `{source}` names the albums (as `al`).
_ALBUM_COLUMNS = """
SELECT al.id, al.library_id, al.title, al.year, al.genres, al.created_at, al.album_artist_id,
       aa.name AS artist, st.n AS song_count, st.d AS duration, s.favourite, s.rating,
       s.updated_at AS state_at, st.played AS play_count
FROM {source}
LEFT JOIN artists aa ON aa.id = al.album_artist_id
LEFT JOIN LATERAL (
    SELECT count(*) AS n, coalesce(sum(t.duration_seconds), 0) AS d,
           coalesce(sum(ts.play_count), 0) AS played
    FROM tracks t
    LEFT JOIN user_item_state ts
           ON ts.user_id = :uid AND ts.item_kind = 'track' AND ts.item_id = t.id
    WHERE t.album_id = al.id) st ON true
LEFT JOIN user_item_state s ON s.user_id = :uid AND s.item_kind = 'album' AND s.item_id = al.id
"""
_ALBUMS = _ALBUM_COLUMNS.format(source="albums al") + "WHERE al.id = ANY(:ids)"
# A page of albums in one statement: the page's ids in order (an array keeps its
# subquery's order), then their columns, in the page's order.
_ALBUM_PAGE = (
    _ALBUM_COLUMNS.format(
        source="unnest(ARRAY({ids})) WITH ORDINALITY AS page(id, n)"
        " JOIN albums al ON al.id = page.id"
    )
    + "ORDER BY page.n"
)

_TRACKS = """
SELECT t.id, t.library_id, t.album_id, t.title, t.artist_id,
       coalesce(t.artist_name, aa.name) AS artist, al.title AS album, al.year, al.genres,
       t.track_number, t.disc_number, coalesce(t.duration_seconds, f.duration_seconds) AS duration,
       t.created_at, f.id AS file_id, f.path, f.size, f.container, f.bit_rate,
       s.favourite, s.rating, s.play_count, s.updated_at AS state_at
FROM tracks t
JOIN albums al ON al.id = t.album_id
LEFT JOIN artists aa ON aa.id = al.album_artist_id
LEFT JOIN LATERAL (
    SELECT m.id, m.path, m.size, m.container, m.bit_rate, m.duration_seconds FROM media_files m
    WHERE m.item_id = t.id AND m.item_kind = 'track' AND m.missing_since IS NULL
    ORDER BY m.created_at LIMIT 1) f ON true
LEFT JOIN user_item_state s ON s.user_id = :uid AND s.item_kind = 'track' AND s.item_id = t.id
"""


@cache
def _statement(sql: str) -> TextClause:
    """The text clause of one of this module's statements, built once: parsing the SQL for
    its parameters cost more than a short statement's other Python work. The SQL is only
    ever assembled from this module's fixed fragments (a few dozen variants)."""
    return text(sql)


def _scope(allowed: set[uuid.UUID] | None, column: str) -> str:
    return "" if allowed is None else f" AND {column} = ANY(:libs)"


def _params(allowed: set[uuid.UUID] | None, **extra: Any) -> dict[str, Any]:
    return {"libs": list(allowed or ()), **extra}


async def album_page(
    session: AsyncSession, allowed: set[uuid.UUID] | None, user_id: uuid.UUID, kind: str,
    limit: int, offset: int, filters: dict[str, Any],
) -> list[Any]:  # fmt: skip
    """One page of a list kind: albums with their counts and the caller's state (the
    columns of `albums_by_ids`), in order, read in one statement."""
    ids = _album_ids(allowed, kind, filters)
    params = _params(allowed, uid=user_id, lim=limit, off=offset, **filters)
    # On psycopg itself: SQLAlchemy's text and result layers cost as much as the rest of
    # a player's page of albums.
    return await raw.fetch(session, raw.pyformat(_ALBUM_PAGE.replace("{ids}", ids)), params)


def _album_ids(allowed: set[uuid.UUID] | None, kind: str, filters: dict[str, Any]) -> str:
    """The query of one page of a list kind's album ids, in order (`:lim`, `:off`)."""
    joins, where = "", "true" + _scope(allowed, "al.library_id")
    order = ALBUM_ORDERS.get(kind, "al.sort_title, al.id")
    if kind in ("starred", "highest"):
        column = "s.favourite" if kind == "starred" else "s.rating IS NOT NULL"
        joins = " JOIN user_item_state s ON s.user_id = :uid AND s.item_kind = 'album'" \
                f" AND s.item_id = al.id AND {column}"  # fmt: skip
    elif kind == "alphabeticalByArtist":
        joins = " LEFT JOIN artists aa ON aa.id = al.album_artist_id"
    elif kind in ("frequent", "recent"):
        return _played_albums(allowed, kind)
    if "genre" in filters:
        where += " AND :genre = ANY(al.genres)"
    if "from_year" in filters:
        where += (
            " AND al.year BETWEEN least(:from_year, :to_year) AND greatest(:from_year, :to_year)"
        )
        descending = filters["from_year"] > filters["to_year"]
        order = "al.year DESC, al.id DESC" if descending else "al.year, al.id"
    return (
        f"SELECT al.id FROM albums al{joins} WHERE {where} ORDER BY {order} LIMIT :lim OFFSET :off"
    )


def _played_albums(allowed: set[uuid.UUID] | None, kind: str) -> str:
    measure = "sum(s.play_count)" if kind == "frequent" else "max(s.last_played_at)"
    sql = f"""
        SELECT t.album_id FROM user_item_state s JOIN tracks t ON t.id = s.item_id
        WHERE s.user_id = :uid AND s.item_kind = 'track' AND s.play_count > 0
              {_scope(allowed, "s.library_id")}
        GROUP BY t.album_id ORDER BY {measure} DESC NULLS LAST, t.album_id
        LIMIT :lim OFFSET :off"""
    return sql


async def albums_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    rows = await session.execute(_statement(_ALBUMS), {"uid": user_id, "ids": list(ids)})
    return {r.id: r for r in rows}


async def albums_of_artist(
    session: AsyncSession, allowed: set[uuid.UUID] | None, artist_id: uuid.UUID
) -> list[uuid.UUID]:
    sql = (
        "SELECT al.id FROM albums al WHERE al.album_artist_id = :aid"
        + _scope(allowed, "al.library_id")
        + " ORDER BY al.year NULLS LAST, al.sort_title"
    )
    return [r[0] for r in await session.execute(text(sql), _params(allowed, aid=artist_id))]


async def tracks(
    session: AsyncSession, allowed: set[uuid.UUID] | None, user_id: uuid.UUID, where: str,
    order: str, limit: int, offset: int = 0, **params: Any,
) -> list[Any]:  # fmt: skip
    """Tracks with their album, first file and the caller's state; `where` is trusted SQL."""
    sql = _TRACKS + f" WHERE {where}{_scope(allowed, 't.library_id')}"
    sql += f" ORDER BY {order} LIMIT :lim OFFSET :off"
    found = await session.execute(
        text(sql), _params(allowed, uid=user_id, lim=limit, off=offset, **params)
    )
    return list(found)


async def artists(
    session: AsyncSession, allowed: set[uuid.UUID] | None, user_id: uuid.UUID,
    ids: Sequence[uuid.UUID] | None = None,
) -> list[Any]:  # fmt: skip
    """Album artists (or the ones named) with their visible album counts, by sort name."""
    where = "ar.id = ANY(:ids)" if ids is not None else "true"
    sql = f"""
        SELECT ar.id, ar.name, ar.sort_name, ar.library_id, count(al.id) AS album_count,
               s.favourite, s.rating, s.updated_at AS state_at
        FROM artists ar
        JOIN albums al ON al.album_artist_id = ar.id {_scope(allowed, "al.library_id")}
        LEFT JOIN user_item_state s
               ON s.user_id = :uid AND s.item_kind = 'artist' AND s.item_id = ar.id
        WHERE {where} {_scope(allowed, "ar.library_id")}
        GROUP BY ar.id, s.favourite, s.rating, s.updated_at
        ORDER BY ar.sort_name, ar.id"""
    params = _params(allowed, uid=user_id, ids=list(ids or ()))
    return list(await session.execute(text(sql), params))


async def starred_ids(
    session: AsyncSession, allowed: set[uuid.UUID] | None, user_id: uuid.UUID, kind: str
) -> list[uuid.UUID]:
    sql = """SELECT s.item_id FROM user_item_state s WHERE s.user_id = :uid
             AND s.item_kind = :kind AND s.favourite""" + _scope(allowed, "s.library_id")
    sql += " ORDER BY s.updated_at DESC LIMIT 500"
    found = await session.execute(text(sql), _params(allowed, uid=user_id, kind=kind))
    return [r[0] for r in found]


async def genres(session: AsyncSession, allowed: set[uuid.UUID] | None) -> list[Any]:
    sql = f"""
        SELECT g AS name, count(DISTINCT al.id) AS albums, count(t.id) AS songs
        FROM albums al CROSS JOIN LATERAL unnest(al.genres) AS g
        LEFT JOIN tracks t ON t.album_id = al.id
        WHERE true {_scope(allowed, "al.library_id")}
        GROUP BY g ORDER BY g"""
    return list(await session.execute(text(sql), _params(allowed)))


async def random_track_ids(
    session: AsyncSession, allowed: set[uuid.UUID] | None, limit: int, filters: dict[str, Any]
) -> list[uuid.UUID]:
    where = "true" + _scope(allowed, "t.library_id")
    if "genre" in filters:
        where += " AND :genre = ANY(al.genres)"
    if "from_year" in filters:
        where += " AND al.year >= :from_year"
    if "to_year" in filters:
        where += " AND al.year <= :to_year"
    sql = f"""SELECT t.id FROM tracks t JOIN albums al ON al.id = t.album_id WHERE {where}
              ORDER BY random() LIMIT :lim"""
    return [r[0] for r in await session.execute(text(sql), _params(allowed, lim=limit, **filters))]
