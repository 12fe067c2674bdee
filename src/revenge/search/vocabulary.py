"""Typo tolerance without pg_trgm: the index's words kept in memory, matched with rapidfuzz.

Every query word of four letters or more also matches the known words within an edit
budget by its length (optimal string alignment distance: a swap of two letters is one edit):
`matirx` -> `matrix`, `beetles` -> `beatles`, and real words too (`forest` -> `forrest`).
Which correction wins is decided with the other query words, by the ranking. The word list is
reloaded from the database after a while so every node sees other nodes' additions.
"""

from __future__ import annotations

import bisect
import itertools
import time
from collections.abc import Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA

RELOAD_SECONDS = 120.0
MIN_TYPO_LENGTH = 4
# Corrections kept per query word, the closest first (each is one more tsquery branch).
MAX_CORRECTIONS = 24
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
        self._remembered: dict[str, dict[str, int]] = {}
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

    def known(self, word: str) -> bool:
        return word in self._known

    def count(self, word: str) -> int:
        return self._counts.get(word, 0)

    def corrections(self, word: str) -> dict[str, int]:
        """Known words within the edit budget of `word` (even a real word or the start of
        one: `forest` -> `forrest`), with their distance; the closest and commonest first."""
        if budget(word) == 0 or not word.isalpha():
            return {}
        remembered = self._remembered.get(word)
        if remembered is None:
            remembered = self._closest(word)
            if len(self._remembered) >= REMEMBERED:
                self._remembered.clear()
            self._remembered[word] = remembered
        return remembered

    def _closest(self, word: str) -> dict[str, int]:
        allowed = budget(word)
        found: list[tuple[int, int, str]] = []
        for length in range(len(word) - allowed, len(word) + allowed + 1):
            words = self._by_length.get(length)
            if not words:
                continue
            for match, distance, _ in process.extract(
                word, words, scorer=OSA.distance, score_cutoff=allowed, limit=None
            ):
                if match != word:
                    found.append((int(distance), -self._counts.get(match, 0), match))
        return {match: distance for distance, _, match in sorted(found)[:MAX_CORRECTIONS]}

    def splits(self, word: str) -> list[tuple[str, str]]:
        """Two known words that `word` is written together from (`acdc` -> `ac` `dc`)."""
        if len(word) < 4:
            return []
        return [
            (word[:at], word[at:])
            for at in range(2, len(word) - 1)
            if word[:at] in self._known and word[at:] in self._known
        ][:3]


def budget(word: str) -> int:
    """Edits forgiven in a query word: none in short words (too many neighbours), one
    from four letters, two from six."""
    if len(word) < MIN_TYPO_LENGTH:
        return 0
    return 1 if len(word) < 6 else 2
