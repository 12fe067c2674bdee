"""SQL of the search index: write documents, read the vocabulary, run a query."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from psycopg.rows import dict_row
from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.db import raw

_UPSERT = text(
    """
    INSERT INTO search_documents (item_type, item_id, library_id, title, original_title,
        sort_title, names, people, genres, year, overview, folded_title, folded_names, document,
        title_document)
    SELECT :item_type, :item_id, :library_id, :title, :original_title, :sort_title, :names,
        :people, :genres, :year, :overview, :folded_title, :folded_names,
        t.doc || setweight(to_tsvector('simple', :wc), 'C')
        || setweight(to_tsvector('simple', :wd), 'D'), t.doc
    FROM (SELECT setweight(to_tsvector('simple', :wa), 'A')
                 || setweight(to_tsvector('simple', :wb), 'B') AS doc) t
    ON CONFLICT (item_type, item_id) DO UPDATE SET
        library_id = excluded.library_id, title = excluded.title,
        original_title = excluded.original_title, sort_title = excluded.sort_title,
        names = excluded.names, people = excluded.people, genres = excluded.genres,
        year = excluded.year, overview = excluded.overview,
        folded_title = excluded.folded_title, folded_names = excluded.folded_names,
        document = excluded.document, title_document = excluded.title_document,
        updated_at = now()
    """
)


async def upsert(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(_UPSERT, rows)


async def delete(session: AsyncSession, item_type: str, ids: list[uuid.UUID]) -> None:
    if ids:
        stmt = text(
            "DELETE FROM search_documents WHERE item_type = :t AND item_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        await session.execute(stmt, {"t": item_type, "ids": ids})


async def delete_all(session: AsyncSession) -> None:
    await session.execute(text("DELETE FROM search_documents"))


async def vocabulary(session: AsyncSession) -> dict[str, int]:
    """Every distinct word of titles and names (what typos are corrected towards).

    ts_stat reads the title tsvectors' lexemes in C: ~0.3 s for 100,000 items where
    splitting the folded texts with regexp_split_to_table took ~2.3 s.
    """
    rows = await session.execute(
        text(
            "SELECT word, ndoc FROM ts_stat('SELECT title_document FROM search_documents')"
            " WHERE length(word) >= 2"
        )
    )
    return {r[0]: int(r[1]) for r in rows}


# Candidates: every match is tiered by cheap tests (whole title, title prefix, a title or
# name word, a corrected word, else genre/overview only); within a tier shorter titles
# first. The best `candidates` of them are ranked by evidence in Python (ranking.py).
# Per-word ts_rank over the full document was measured at ~5 us a row, most of a search
# for a common word.
# Every match is kept (to be counted) with only what orders it and where its row is; the
# other columns are read for the best `candidates` alone, and their totals joined to them
# after the cut: keeping whole rows of 7,000 matches took about a quarter more.
_SEARCH = """
    WITH hits AS MATERIALIZED (
        SELECT d.ctid AS at, d.item_type, d.item_id, d.title,
            length(d.folded_title) AS title_length,
            (CASE WHEN d.folded_title = %(phrase)s THEN 8 ELSE 0 END
             + CASE WHEN d.folded_title LIKE %(prefix)s ESCAPE '\\' THEN 4 ELSE 0 END
             + CASE WHEN d.title_document @@ direct THEN 2
                    WHEN d.title_document @@ q THEN 1 ELSE 0 END) AS score
        FROM search_documents d, to_tsquery('simple', %(query)s) q,
             to_tsquery('simple', %(direct)s) direct
        WHERE d.document @@ q {filters}
    ), totals AS (
        SELECT item_type, count(*) AS type_total FROM hits GROUP BY item_type
    ), best AS (
        SELECT at, item_type, score, title_length FROM hits
        ORDER BY score DESC, title_length, title, item_id LIMIT %(candidates)s
    )
    SELECT d.item_type, d.item_id, d.library_id, d.title, d.original_title, d.names,
        d.people, d.year, d.genres, b.score, t.type_total
    FROM best b JOIN totals t USING (item_type) JOIN search_documents d ON d.ctid = b.at
    ORDER BY b.score DESC, b.title_length, d.title, d.item_id
"""


async def search(session: AsyncSession, params: dict[str, Any], filters: list[str]) -> list[Any]:
    return await _run(session, _SEARCH, params, filters)


# The psycopg connection under the session runs the searches: going through SQLAlchemy's
# statement and result layers cost as much CPU again as psycopg's own work (~0.6 ms per
# search). The SQL per narrowing is built once; the narrowings come from `_NARROWING`.
_STATEMENTS: dict[tuple[str, tuple[str, ...]], str] = {}


def _statement(sql: str, filters: list[str]) -> str:
    shape = (sql, tuple(filters))
    found = _STATEMENTS.get(shape)
    if found is None:
        found = sql.replace("{filters}", "".join(f" AND {f}" for f in filters))
        _STATEMENTS[shape] = found
    return found


async def _run(
    session: AsyncSession, sql: str, params: dict[str, Any], filters: list[str]
) -> list[dict[str, Any]]:
    pg = await raw.driver(session)
    # Binary results: UUIDs, integers and the genre arrays are read without parsing text.
    # Never a prepared statement: after five runs PostgreSQL may keep one generic plan for
    # every query word, and the right plan depends on how many titles hold the word (a
    # generic plan took 30-40 ms where the word's own plan took 2).
    async with pg.cursor(row_factory=dict_row, binary=True) as cur:
        await cur.execute(_statement(sql, filters), params, prepare=False)
        return await cur.fetchall()


# A broad query (a word in thousands of titles: "the", "s") would make the general query
# fetch and count every match, ~50 ms for 50,000. Its first page holds only whole-title,
# title-prefix and title-word matches, each read here in index order (prefixes
# alphabetically through the "C"-collated title index, from just after the whole title so
# the many titles equal to a common word are not read again; the rest shortest title
# first): the planner stops after `limit` rows. Totals are counted up to `cap`.
# The tsquery is written where it is used, not in a CTE shared by two parts: a CTE's value
# is unknown to the planner, which then guessed a few hundred matches for "the" (38,000)
# and read them all through the GIN index where a scan of the table stops after `cap`.
_PAGE_COLUMNS = (
    "d.item_type, d.item_id, d.library_id, d.title, d.original_title, d.names, d.people,"
    " d.year, d.genres"
)
# The whole title and title prefixes: the first two tiers of a broad query's page.
_BROAD_HEAD = f"""
    WITH exact AS (
        SELECT {_PAGE_COLUMNS}, 8 AS score, 0::bigint AS rank FROM search_documents d
        WHERE d.folded_title COLLATE "C" = %(phrase)s {{filters}} LIMIT %(limit)s
    ), prefixed AS (
        SELECT {_PAGE_COLUMNS}, 4 AS score,
            row_number() OVER (ORDER BY d.folded_title COLLATE "C") AS rank
        FROM search_documents d
        WHERE d.folded_title COLLATE "C" LIKE %(prefix)s ESCAPE '\\'
            AND d.folded_title COLLATE "C" > %(phrase)s {{filters}}
        ORDER BY d.folded_title COLLATE "C" LIMIT %(limit)s
    )"""
# The third tier (titles holding the words as typed) and the totals, by one of the two ways.
_BROAD_TAIL = """
    , page AS (
        SELECT * FROM exact UNION ALL SELECT * FROM prefixed UNION ALL SELECT * FROM worded
    )
    SELECT p.item_type, p.item_id, p.library_id, p.title, p.original_title, p.names,
        p.people, p.year, p.genres, p.score, coalesce(t.type_total, 0) AS type_total
    FROM page p LEFT JOIN totals t USING (item_type)
    ORDER BY p.score DESC, p.rank, p.item_id LIMIT %(candidates)s
"""
# Words in many titles: titles are read shortest first and tested, until a page is found.
_BROAD = f"""{_BROAD_HEAD}, worded AS (
        SELECT {_PAGE_COLUMNS}, 2 AS score,
            row_number() OVER (ORDER BY length(d.folded_title), d.folded_title) AS rank
        FROM search_documents d
        WHERE d.title_document @@ to_tsquery('simple', %(direct)s)
            AND d.folded_title NOT LIKE %(prefix)s ESCAPE '\\' {{filters}}
        ORDER BY length(d.folded_title), d.folded_title LIMIT %(limit)s
    ), counted AS (
        SELECT d.item_type FROM search_documents d
        WHERE d.title_document @@ to_tsquery('simple', %(direct)s) {{filters}}
        LIMIT %(count_up_to)s
    ), totals AS (SELECT item_type, count(*) AS type_total FROM counted GROUP BY item_type)
{_BROAD_TAIL}"""
# Words as typed in few titles (`the lost` is broad: thousands of titles hold `lost` or a
# correction of it, but ~1,600 `lost` itself): those titles are read once through the
# title index, counted, and the shortest taken. Reading titles shortest first read ~8,000
# rows for 20 (3 of 4.5 ms); this way the search takes about 1.5 ms. Only where at most
# `cap` titles can hold the words (index.py), so the capped read holds every one of them.
_BROAD_FEW = f"""{_BROAD_HEAD}, matched AS MATERIALIZED (
        SELECT d.ctid AS at, d.item_type, length(d.folded_title) AS title_length,
            d.folded_title
        FROM search_documents d
        WHERE d.title_document @@ to_tsquery('simple', %(direct)s) {{filters}} LIMIT %(cap)s
    ), shortest AS (
        SELECT at, title_length, folded_title FROM matched
        WHERE folded_title NOT LIKE %(prefix)s ESCAPE '\\'
        ORDER BY title_length, folded_title LIMIT %(limit)s
    ), worded AS (
        SELECT {_PAGE_COLUMNS}, 2 AS score,
            row_number() OVER (ORDER BY s.title_length, s.folded_title) AS rank
        FROM shortest s JOIN search_documents d ON d.ctid = s.at
    ), totals AS (SELECT item_type, count(*) AS type_total FROM matched GROUP BY item_type)
{_BROAD_TAIL}"""


async def search_broad(
    session: AsyncSession, params: dict[str, Any], filters: list[str], few: bool = False
) -> list[Any]:
    return await _run(session, _BROAD_FEW if few else _BROAD, params, filters)


def like_prefix(text: str) -> str:
    """A LIKE pattern matching what starts with `text` (its wildcards taken literally)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# How each narrowing of a search reads on documents `d`, by its parameter. One kind is an
# equality, not `= ANY` of one: only then does the planner read the kind-led indexes in
# title order (a search of one kind read every kind's titles, 6x slower).
_NARROWING = (
    ("library_id", "d.library_id = %(library_id)s"),
    ("type", "d.item_type = %(type)s"),
    ("types", "d.item_type = ANY (%(types)s::text[])"),
    ("year_from", "d.year >= %(year_from)s"),
    ("year_to", "d.year <= %(year_to)s"),
    ("genre", "%(genre)s = ANY (d.genres)"),
)


def filters(
    allowed: set[uuid.UUID] | None,
    library_id: uuid.UUID | None,
    types: Sequence[str],
    year_from: int | None,
    year_to: int | None,
    genre: str | None,
) -> tuple[list[str], dict[str, Any]]:
    """The WHERE conditions on documents `d` of a search, and their parameters."""
    params: dict[str, Any] = {
        "library_id": library_id,
        "type": types[0] if len(types) == 1 else None,
        "types": list(types) if len(types) > 1 else None,
        "year_from": year_from, "year_to": year_to, "genre": genre,
    }  # fmt: skip
    found = [] if allowed is None else ["d.library_id = ANY (%(libraries)s::uuid[])"]
    found += [where for name, where in _NARROWING if params[name] not in (None, [], "")]
    if allowed is not None:
        params["libraries"] = list(allowed) or [uuid.UUID(int=0)]
    return found, {k: v for k, v in params.items() if v not in (None, [])}
