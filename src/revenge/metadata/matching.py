"""Choosing a search result: a confidence score per candidate, and a decision.

Score = weighted title similarity (best of title, original title and aliases, after folding
case, accents, punctuation and leading articles), year closeness, and for series/albums how
well our local episode/track count fits the candidate's. A candidate of another kind scores 0.
Below the threshold, or when two different candidates are too close to call, the item is left
for a person instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz

from revenge.metadata.types import Candidate, ItemKind

_ARTICLES = re.compile(r"^(the|a|an|le|la|les|l|der|die|das|el|los|las|il)\s+")
_NON_WORD = re.compile(r"[^\w]+")
_WEIGHTS = {"title": 0.7, "year": 0.2, "count": 0.1}

Status = Literal["matched", "ambiguous", "unmatched"]


@dataclass(frozen=True)
class MatchQuery:
    """What we know locally about the item being identified."""

    kind: ItemKind
    title: str
    year: int | None = None
    episode_count: int | None = None
    artist: str | None = None


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float


@dataclass(frozen=True)
class MatchDecision:
    status: Status
    best: Scored | None
    reason: str
    ranked: tuple[Scored, ...] = field(default=())


def normalize_title(title: str) -> str:
    """Fold case and accents, drop punctuation, '&' -> 'and', and a leading article."""
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("&", " and ")
    text = _NON_WORD.sub(" ", text).strip()
    return _ARTICLES.sub("", text)


def title_similarity(a: str, b: str) -> float:
    """0..1; word order and small typos cost little, different words cost a lot."""
    na, nb = normalize_title(a), normalize_title(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    return max(fuzz.ratio(na, nb), fuzz.token_sort_ratio(na, nb)) / 100.0


def year_score(wanted: int | None, found: int | None) -> float | None:
    """1 for the same year, 0.8 one year off (release dates differ by country), else 0."""
    if wanted is None or found is None:
        return None
    return {0: 1.0, 1: 0.8}.get(abs(wanted - found), 0.0)


def count_score(local: int | None, remote: int | None) -> float | None:
    """How well our count fits theirs: having more files than they list is suspicious."""
    if not local or not remote:
        return None
    if local <= remote:
        return 1.0 if local / remote >= 0.5 else 0.7
    return max(0.0, 1.0 - (local - remote) / local * 2)


def score(query: MatchQuery, candidate: Candidate) -> float:
    """Confidence 0..1 that `candidate` is the item described by `query`."""
    if candidate.kind != query.kind:
        return 0.0
    names = [candidate.title, candidate.original_title or "", *candidate.aliases]
    parts: dict[str, float] = {"title": max(title_similarity(query.title, n) for n in names)}
    year = year_score(query.year, candidate.year)
    if year is not None:
        parts["year"] = year
    count = count_score(query.episode_count, candidate.episode_count)
    if count is not None:
        parts["count"] = count
    total = sum(_WEIGHTS[k] * v for k, v in parts.items()) / sum(_WEIGHTS[k] for k in parts)
    if query.artist and candidate.artist:
        # For music the artist is as telling as the title: a wrong artist halves confidence.
        total *= 0.5 + 0.5 * title_similarity(query.artist, candidate.artist)
    return round(total, 4)


def decide(
    query: MatchQuery,
    candidates: list[Candidate],
    threshold: float = 0.75,
    margin: float = 0.05,
) -> MatchDecision:
    """Matched, ambiguous (two close, different candidates) or unmatched (nothing good)."""
    ranked = tuple(
        sorted(
            (Scored(c, score(query, c)) for c in candidates),
            key=lambda s: (-s.score, -(s.candidate.popularity or 0)),
        )
    )
    if not ranked:
        return MatchDecision("unmatched", None, "no search results", ranked)
    best = ranked[0]
    if best.score < threshold:
        return MatchDecision(
            "unmatched", best, f"best score {best.score:.2f} below {threshold:.2f}", ranked
        )
    rival = next(
        (s for s in ranked[1:] if s.candidate.provider_id != best.candidate.provider_id), None
    )
    if rival is not None and best.score - rival.score < margin:
        reason = (
            f"{best.candidate.title} ({best.candidate.year}) and "
            f"{rival.candidate.title} ({rival.candidate.year}) both score {best.score:.2f}"
        )
        return MatchDecision("ambiguous", best, reason, ranked)
    return MatchDecision("matched", best, f"score {best.score:.2f}", ranked)
