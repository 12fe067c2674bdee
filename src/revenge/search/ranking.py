"""Ranking by evidence, on the candidates the database found.

Each query word costs what its best match in a document costs: nothing for the word
itself (or another spelling of its number, or its joined/split form), a little for the
start of a longer word, its edits for a typo correction; plus a field cost when it is
found among the names (artist, series, cast) instead of the title, and more when only in
the genres or overview; plus a little for each title word the query left unmatched
(`godfather` is *The Godfather* before *The Godfather Part II*, `extra` finds *Extras*
before *E.T. the Extra-Terrestrial*). Documents are ordered by that total, then the title
written in the query's order first, then by kind (an artist before its albums and tracks,
a series before its episodes, an album before its tracks), then the newer item. The
title's length alone never decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from revenge.search.folding import ARTICLES, OPTIONAL, cut, key
from revenge.search.query import QueryPlan, Word

PREFIX_COST = 0.3
NAMES_COST = 0.75
ELSEWHERE_COST = 1.5
YEAR_MISSED_COST = 0.5
# A small word of the query (`of`, `the`) that the title does not hold.
OPTIONAL_MISSED_COST = 0.2
# Each title word the query left unmatched; a small word counts a quarter, a leading
# article a tenth (`sting` is *Sting* before *The Sting*).
MISSING_COST = 0.15
# Kinds that are parts of another kind rank after it on equal evidence.
KIND_RANK = {"album": 1, "track": 2, "episode": 2, "podcast_episode": 2}


@dataclass(frozen=True, slots=True)
class Field:
    words: tuple[str, ...]
    all: frozenset[str]
    joined: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, *texts: str | None) -> Field:
        words: list[str] = []
        joined: dict[str, tuple[str, ...]] = {}
        for text in texts:
            if text:
                found_words, found_joined = cut(text)
                words.extend(found_words)
                joined.update(found_joined)
        return cls(tuple(words), frozenset(words) | joined.keys(), joined)


# Folding a title into its words is most of the cost of ranking a candidate, and the same
# titles come back as candidates search after search (people type the same popular names;
# every keystroke of a title being typed finds it again). Fields are immutable, so they are
# shared; a bounded number of them keeps the memory small (about 1 KiB each).
_field = lru_cache(maxsize=4096)(Field.of)
_key = lru_cache(maxsize=4096)(key)


@dataclass(frozen=True, slots=True)
class _Wanted:
    """One query word as ranking tests it, prepared once per search: its spellings with
    (cost, order of preference), so a field's few words are looked up in them instead of
    every spelling being looked for in the field."""

    word: Word
    spellings: Mapping[str, tuple[float, int]]
    keys: frozenset[str]
    # The first spelling that costs nothing (the word itself): found, nothing is cheaper.
    free: str | None

    @classmethod
    def of(cls, word: Word) -> _Wanted:
        spellings = {s: (cost, at) for at, (s, cost) in enumerate(word.spellings.items())}
        free = next((s for s, cost in word.spellings.items() if cost == 0), None)
        return cls(word, spellings, frozenset(spellings), free)


def _match(wanted: _Wanted, found: Field) -> tuple[float, str] | None:
    """The cheapest way the word matches a word of the field: (cost, matched term); on
    equal cost the spelling listed first."""
    word = wanted.word
    if wanted.free is not None and wanted.free in found.all:
        return (0.0, wanted.free)
    best: tuple[float, str] | None = None
    common = wanted.keys & found.all
    if common:
        # Mostly one word in common: min() only when there is a choice.
        term = next(iter(common))
        if len(common) > 1:
            term = min(common, key=wanted.spellings.__getitem__)
        best = (wanted.spellings[term][0], term)
        if best[0] == 0:
            return best
    for a, b in word.splits:
        if a in found.all and b in found.all:
            return (0.0, f"{a} {b}")
    if word.prefix and (best is None or best[0] > PREFIX_COST):
        for term in found.all:
            if term.startswith(word.text):
                return (PREFIX_COST, term)
    return best


def _covered(term: str, found: Field) -> tuple[str, ...]:
    return found.joined.get(term) or tuple(term.split())


def evidence(plan: QueryPlan, row: Mapping[str, Any]) -> tuple[float, float]:
    """(cost, title words left unmatched) of one candidate document."""
    return _evidence(plan, [_Wanted.of(w) for w in plan.words], dict(plan.joins), row)


def _evidence(
    plan: QueryPlan, wanted: list[_Wanted], joins: dict[int, str], row: Mapping[str, Any]
) -> tuple[float, float]:
    title = _field(row["title"], row["original_title"])
    names = _field(row["names"], row["people"])
    year = row["year"]
    cost, covered = 0.0, set[str]()
    joined_at = {i for i, joined in joins.items() if joined in title.all}
    for i, want in enumerate(wanted):
        if joined_at and (i in joined_at or i - 1 in joined_at):
            at = i if i in joined_at else i - 1
            covered.update(_covered(joins[at], title))
            continue
        word = want.word
        in_title = _match(want, title)
        if in_title is not None:
            covered.update(_covered(in_title[1], title))
        if word.year is not None and year == word.year:
            continue
        best: float | None = None
        if in_title is not None:
            best = in_title[0]
        if best is None or best > NAMES_COST:
            # A match among the names costs at least NAMES_COST: looked for only when it
            # could be the cheaper one.
            in_names = _match(want, names)
            if in_names is not None and (best is None or in_names[0] + NAMES_COST < best):
                best = in_names[0] + NAMES_COST
        if best is None:
            best = YEAR_MISSED_COST if word.year is not None else (
                OPTIONAL_MISSED_COST if word.optional else ELSEWHERE_COST
            )  # fmt: skip
        cost += best
    return cost, _missing(title, covered)


def _missing(title: Field, covered: set[str]) -> float:
    missing = 0.0
    for at, word in enumerate(title.words):
        if word in covered:
            continue
        if at == 0 and word in ARTICLES and len(title.words) > 1:
            missing += 0.1
        else:
            missing += 0.25 if word in OPTIONAL else 1.0
    return missing


def rank(plan: QueryPlan, rows: list[Any], limit: int) -> list[tuple[Any, float]]:
    """The best `limit` rows with their scores (1.0: the whole title, exactly)."""
    wanted = [_Wanted.of(w) for w in plan.words]
    joins = dict(plan.joins)
    scored = []
    for row in rows:
        cost, missing = _evidence(plan, wanted, joins, row)
        total = cost + MISSING_COST * missing
        in_order = _key(row["title"]) == plan.phrase
        order = (round(total, 3), not in_order, KIND_RANK.get(row["item_type"], 0),
                 -(row["year"] or 0), row["title"].casefold(), row["item_id"])  # fmt: skip
        scored.append((order, row, 1.0 / (1.0 + total)))
    scored.sort(key=lambda s: s[0])
    return [(row, score) for _, row, score in scored[:limit]]
