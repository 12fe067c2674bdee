"""The `SearchIndex` interface and its PostgreSQL implementation.

A search is planned (query.py: spellings, corrections, optional words), its candidates are
found and counted in PostgreSQL full-text search (repository.py), and the candidates are
ordered by evidence (ranking.py). A broad query (a word in thousands of titles) takes its
candidates from title order instead: its first page holds only title matches anyway; its
totals are counted up to a cap.

Indexing an item also indexes what it belongs to (a track its album and artists, an episode
its series, a podcast episode its show): the catalogue's writers list the parts they
changed, and the entity must be found by its name too.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol

from cachetools import LRUCache
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.db.engine import Database
from revenge.infra.db.hooks import after_commit
from revenge.search import documents, ranking
from revenge.search import documents_repository as documents_repo
from revenge.search import repository as repo
from revenge.search.query import QueryPlan, Word, plan
from revenge.search.vocabulary import Vocabulary

log = logging.getLogger(__name__)

BATCH = 2000
# Matches ranked by evidence per search, and at least a page: in the database's order of
# evidence (whole title, prefix, word, correction). bench/relevance.py scores the same with
# 20, 60 and 100; 100 cost 6% more CPU a search, and twice the page (the rule before) a
# Subsonic search3 of 60 hits about a fifth of its CPU.
CANDIDATES = 60
# Above this many titles holding a query word, the broad plan answers (see repository):
# at 100,000 items the general plan took ~9 ms at 4,600 matches and ~55 ms at 50,000;
# the broad plan about 10 ms (p50 over the bench's broad queries) whatever the count.
BROAD_TITLES = 2000
# Totals of a broad query are counted up to here ("at least" beyond).
COUNT_CAP = 2000
# Results remembered per process, as a search engine's query result cache: the same words
# come again (a title typed letter by letter, the same few searches by many people, a
# player's search then its detail page), and a remembered answer costs no statement. At most
# about 30 KB each at 20 hits (tracemalloc), 4 MB in all.
REMEMBERED = 128


@dataclass(frozen=True)
class SearchQuery:
    text: str
    types: tuple[str, ...] = ()
    library_id: uuid.UUID | None = None
    year_from: int | None = None
    year_to: int | None = None
    genre: str | None = None
    limit: int = 50
    # False when the caller reads only the hits: a broad query's totals are then not
    # counted (counting up to COUNT_CAP was most of a one-kind broad search, ~18 of 21 ms).
    counted: bool = True


@dataclass
class SearchHit:
    """One item found. The API answers it as it is (`schemas.SearchHitOut`), its type and
    id under the names `type` and `id`."""

    item_type: Annotated[str, Field(serialization_alias="type")]
    item_id: Annotated[uuid.UUID, Field(serialization_alias="id")]
    library_id: uuid.UUID
    title: str
    names: str | None
    year: int | None
    genres: list[str]
    score: float


@dataclass
class SearchResult:
    hits: list[SearchHit] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    totals_exact: bool = True


class SearchIndex(Protocol):
    async def index(self, session: AsyncSession, items: Iterable[tuple[str, uuid.UUID]]) -> int: ...

    async def rebuild(self, session: AsyncSession) -> int: ...

    async def search(
        self, session: AsyncSession, query: SearchQuery, allowed: set[uuid.UUID] | None
    ) -> SearchResult: ...


class PostgresSearchIndex:
    """Core full-text search over folded text, plus in-memory typo correction.

    With `generation` (the catalogue's change token, shared by every node), results are
    remembered under it and the word list they were planned with: any change to the catalogue,
    on any node, starts a new token, so no remembered result outlives the change it missed.
    """

    def __init__(
        self, db: Database, broad_titles: int = BROAD_TITLES, count_cap: int = COUNT_CAP,
        generation: Callable[[], Awaitable[str]] | None = None,
    ) -> None:  # fmt: skip
        self.db = db
        self.broad_titles = broad_titles
        self.count_cap = count_cap
        self.vocabulary = Vocabulary()
        self._first_load = asyncio.Lock()
        self._refresh: asyncio.Task[None] | None = None
        self._generation = generation
        self._results: LRUCache[tuple[Any, ...], SearchResult] = LRUCache(REMEMBERED)
        # Searches answered from remembered results, and searches run (for metrics).
        self.hits = 0
        self.misses = 0

    async def _write(self, session: AsyncSession, docs: Iterable[documents.Document]) -> int:
        rows, words, written = [], Counter[str](), 0
        for doc in docs:
            row = doc.params()
            rows.append(row)
            words.update(set((row["folded_title"] + " " + row["folded_names"]).split()))
            if len(rows) >= BATCH:
                await repo.upsert(session, rows)
                written, rows = written + len(rows), []
        await repo.upsert(session, rows)
        self.vocabulary.add(words)
        # This process's writes are seen as soon as they commit, other nodes' by the token.
        after_commit(session, self._results.clear)
        return written + len(rows)

    async def index(self, session: AsyncSession, items: Iterable[tuple[str, uuid.UUID]]) -> int:
        """(Re)index the given items; items that no longer exist leave the index."""
        by_type: dict[str, set[uuid.UUID]] = {}
        for item_type, item_id in items:
            if item_type in documents.ITEM_TYPES:
                by_type.setdefault(item_type, set()).add(item_id)
        for item_type, ids in list(by_type.items()):
            for parent_type, parent_ids in await documents_repo.parents(session, item_type, ids):
                by_type.setdefault(parent_type, set()).update(parent_ids)
        written = 0
        for item_type, ids in by_type.items():
            docs = list(await documents_repo.load(session, item_type, list(ids)))
            written += await self._write(session, docs)
            await repo.delete(session, item_type, list(ids - {d.item_id for d in docs}))
        return written

    async def rebuild(self, session: AsyncSession) -> int:
        await repo.delete_all(session)
        total = 0
        for item_type in documents.ITEM_TYPES:
            total += await self._write(session, await documents_repo.load(session, item_type, None))
        self.vocabulary = Vocabulary(await repo.vocabulary(session))
        return total

    async def _words(self, session: AsyncSession) -> Vocabulary:
        """The word list: loaded once (one load for all waiting requests), then refreshed in
        the background while searches go on with the list they have."""
        if not self.vocabulary.loaded_at:
            async with self._first_load:
                if not self.vocabulary.loaded_at:
                    self.vocabulary = Vocabulary(await repo.vocabulary(session))
        elif self.vocabulary.stale and self._refresh is None:
            self._refresh = asyncio.create_task(self._reload(), name="search-vocabulary")
        return self.vocabulary

    async def _reload(self) -> None:
        try:
            async with self.db.transaction() as session:
                self.vocabulary = Vocabulary(await repo.vocabulary(session))
        except Exception:
            # Tried again on the next search; meanwhile the old list serves.
            log.warning("search vocabulary reload failed", exc_info=True)
        finally:
            self._refresh = None

    async def search(
        self, session: AsyncSession, query: SearchQuery, allowed: set[uuid.UUID] | None
    ) -> SearchResult:
        if self._generation is None:
            return await self._search(session, query, allowed)
        scope = None if allowed is None else frozenset(allowed)
        plans = (self.vocabulary.loaded_at, self.broad_titles, self.count_cap)
        key = (await self._generation(), plans, query, scope)
        found = self._results.get(key)
        if found is None:
            self.misses += 1
            found = self._results[key] = await self._search(session, query, allowed)
        else:
            self.hits += 1
        # A copy: the caller may reorder or extend what it was given.
        return SearchResult(list(found.hits), dict(found.totals), found.totals_exact)

    async def _search(
        self, session: AsyncSession, query: SearchQuery, allowed: set[uuid.UUID] | None
    ) -> SearchResult:
        vocab = await self._words(session)
        found = plan(query.text, vocab)
        if found is None or not found.required:
            return SearchResult()
        phrase = found.phrase
        filters, filter_params = repo.filters(
            allowed, query.library_id, query.types, query.year_from, query.year_to, query.genre
        )
        params: dict[str, Any] = {
            "phrase": phrase, "prefix": repo.like_prefix(phrase), "query": found.tsquery(),
            "direct": found.tsquery(exact=True), "limit": query.limit,
            "candidates": max(CANDIDATES, query.limit), "cap": self.count_cap,
            # What the title-order plan counts up to: nothing when no total is wanted.
            "count_up_to": self.count_cap if query.counted else 0,
        } | filter_params  # fmt: skip
        result = SearchResult()
        rows: list[Any] = []
        counted = True
        if min(_titles_matching(vocab, w) for w in found.required) > self.broad_titles:
            # Read the titles holding the words as typed at once where they are few: one
            # word in under `count_cap` titles, or several words (seldom all in thousands
            # of titles together). Where the capped read came back full, there were more
            # (or the word list is older than the titles): read in title order instead.
            few = not found.joins and (
                len(found.required) > 1 or _titles_as_typed(vocab, found) < self.count_cap
            )
            rows = await repo.search_broad(session, params, filters, few)
            if few and _counted(rows) >= self.count_cap:
                few = False
                rows = await repo.search_broad(session, params, filters)
            counted = few or query.counted
            result.totals_exact = counted and _counted(rows) < self.count_cap
        if len(rows) < query.limit:
            # Fewer title matches than a page: the general plan finds the rest, exactly.
            rows = await repo.search(session, params, filters)
            counted = result.totals_exact = True
        for row in rows if counted else ():
            result.totals[row["item_type"]] = int(row["type_total"])
        for row, score in ranking.rank(found, rows, query.limit):
            result.hits.append(SearchHit(
                row["item_type"], row["item_id"], row["library_id"], row["title"],
                row["names"], row["year"], list(row["genres"]), score,
            ))  # fmt: skip
        return result


def _counted(rows: list[Any]) -> int:
    return sum({r["item_type"]: r["type_total"] for r in rows}.values())


def _titles_as_typed(vocab: Vocabulary, found: QueryPlan) -> int:
    """At most how many titles hold every required word as typed (or its start)."""
    return min(vocab.titles_with_prefix(w.text) for w in found.required)


def _titles_matching(vocab: Vocabulary, word: Word) -> int:
    """About how many titles the general plan matches for `word` (an upper bound): its own
    titles and those of every other spelling. `lost` also matches `last`'s titles; counting
    only `lost`'s sent it to the general plan, which then read and counted thousands."""
    own = vocab.titles_with_prefix(word.text) if word.prefix else vocab.count(word.text)
    return own + sum(vocab.count(s) for s in word.spellings if s != word.text)
