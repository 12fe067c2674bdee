"""Typo tolerance without pg_trgm: the index's words kept in memory, matched with rapidfuzz.

A query word that is neither a known word nor the start of one is rewritten into the
closest known words (`matirx` -> `matrix`, `beetles` -> `beatles`). The word list is
reloaded from the database after a while so every node sees other nodes' additions.
"""

from __future__ import annotations

import bisect
import time

from rapidfuzz import fuzz, process

RELOAD_SECONDS = 120.0
MIN_TYPO_LENGTH = 4


class Vocabulary:
    def __init__(self, words: list[str] | None = None) -> None:
        self.words: list[str] = sorted(set(words or []))
        self._known = set(self.words)
        self.loaded_at = time.monotonic() if words is not None else 0.0

    @property
    def stale(self) -> bool:
        return time.monotonic() - self.loaded_at > RELOAD_SECONDS

    def add(self, words: set[str]) -> None:
        fresh = words - self._known
        if fresh:
            self._known |= fresh
            self.words = sorted(self._known)

    def has_prefix(self, word: str) -> bool:
        at = bisect.bisect_left(self.words, word)
        return at < len(self.words) and self.words[at].startswith(word)

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        """Known words close to a word that is not itself (the start of) a known word."""
        if len(word) < MIN_TYPO_LENGTH or not word.isalpha() or self.has_prefix(word):
            return []
        cutoff = 75 if len(word) < 7 else 70
        found = process.extract(word, self.words, scorer=fuzz.ratio, limit=limit,
                                score_cutoff=cutoff)  # fmt: skip
        return [w for w, _, _ in found]
