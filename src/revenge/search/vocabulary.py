"""Typo tolerance without pg_trgm: the index's words kept in memory, matched with rapidfuzz.

A query word that is neither a known word nor the start of one is rewritten into the
closest known words (`matirx` -> `matrix`, `beetles` -> `beatles`). The word list is
reloaded from the database after a while so every node sees other nodes' additions.
"""

from __future__ import annotations

import bisect
import itertools
import time
from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process

RELOAD_SECONDS = 120.0
MIN_TYPO_LENGTH = 4
# Corrections remembered per word: many people type the same few queries.
REMEMBERED = 10_000


class Vocabulary:
    """Known words with how many titles hold each (from the index's statistics)."""

    def __init__(self, words: Mapping[str, int] | Iterable[str] | None = None) -> None:
        counts = words if isinstance(words, Mapping) else dict.fromkeys(words or (), 1)
        self._counts: dict[str, int] = dict(counts)
        self.words: list[str] = sorted(self._counts)
        self._known = set(self.words)
        self.loaded_at = time.monotonic() if words is not None else 0.0
        self._index()

    def _index(self) -> None:
        """Alphabetic words by length: a typo is matched only against words of a length
        that could reach the similarity cutoff (numbers are never a typo's target)."""
        self._by_length: dict[int, list[str]] = {}
        for word in self.words:
            if word.isalpha():
                self._by_length.setdefault(len(word), []).append(word)
        self._remembered: dict[str, list[str]] = {}
        self._cumulative = [0, *itertools.accumulate(self._counts[w] for w in self.words)]

    def titles_with_prefix(self, prefix: str) -> int:
        """About how many titles hold a word starting with `prefix` (an upper bound)."""
        start = bisect.bisect_left(self.words, prefix)
        end = bisect.bisect_left(self.words, prefix + "\U0010ffff")
        return self._cumulative[end] - self._cumulative[start]

    @property
    def stale(self) -> bool:
        return time.monotonic() - self.loaded_at > RELOAD_SECONDS

    def add(self, titles_per_word: Mapping[str, int]) -> None:
        """Words of newly indexed titles, with how many titles hold each (re-indexed titles
        count again: estimates stay upper bounds until the next reload)."""
        if not titles_per_word:
            return
        for word, count in titles_per_word.items():
            self._counts[word] = self._counts.get(word, 0) + count
        fresh = titles_per_word.keys() - self._known
        if fresh:
            self._known |= fresh
            self.words = sorted(self._known)
        self._index()

    def has_prefix(self, word: str) -> bool:
        at = bisect.bisect_left(self.words, word)
        return at < len(self.words) and self.words[at].startswith(word)

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        """Known words close to a word that is not itself (the start of) a known word."""
        if len(word) < MIN_TYPO_LENGTH or not word.isalpha() or self.has_prefix(word):
            return []
        remembered = self._remembered.get(word)
        if remembered is None:
            remembered = self._closest(word, limit)
            if len(self._remembered) >= REMEMBERED:
                self._remembered.clear()
            self._remembered[word] = remembered
        return remembered

    def _closest(self, word: str, limit: int) -> list[str]:
        cutoff = 75 if len(word) < 7 else 70
        found: list[tuple[float, str]] = []
        for length, words in self._by_length.items():
            # fuzz.ratio is at most 200 * min(n, m) / (n + m); skip lengths that cannot pass.
            if 200 * min(length, len(word)) / (length + len(word)) < cutoff:
                continue
            for match, score, _ in process.extract(
                word, words, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff
            ):
                found.append((-score, match))
        return [match for _, match in sorted(found)[:limit]]
