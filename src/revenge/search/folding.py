"""How titles and queries are cut into words, the same way on both sides.

- Accents and case are folded (`catalog.text.norm`); apostrophes join their word
  (`King's` -> `kings`), so `kings` and `king's` are the same word.
- Words written together with punctuation are also indexed joined (`AC/DC` -> `ac`, `dc`,
  `acdc`; `Spider-Man` -> `spiderman`; `K-19` -> `k19`), so either spelling finds them.
- A title's key drops one leading article (`The Killing` -> `killing`): the whole-title and
  title-prefix tests compare keys, so `killing` is an exact match for *The Killing*.
- Numbers have their other spellings: `2` = `ii` = `two`, up to 30 (sequels, parts, `12
  angry men` / `twelve angry men`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from revenge.catalog.text import norm

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
ARTICLES = frozenset({"the", "a", "an"})
# Words a query may leave out without missing the title (`tom and jerry` = `Tom & Jerry`).
OPTIONAL = ARTICLES | {"of", "and", "in", "on", "at", "to", "for"}

_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty",
)  # fmt: skip
_TENS = {20: "twenty", 30: "thirty"}
_ROMAN = (("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def _roman(n: int) -> str:
    out = ""
    for letters, value in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _number_words(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    return _TENS[tens * 10] + (_UNITS[unit] if unit else "")


def _number_table() -> dict[str, frozenset[str]]:
    """Each spelling of 0-30 -> all its spellings (digits, roman numerals, words)."""
    table: dict[str, frozenset[str]] = {}
    for n in range(31):
        spellings = {str(n), _number_words(n)} | ({_roman(n)} if n else set())
        for spelling in spellings:
            table[spelling] = frozenset(spellings)
    return table


NUMBERS = _number_table()


def fold(text: str) -> str:
    """Accents, case and punctuation folded; apostrophes removed (joining their word)."""
    return norm(_APOSTROPHES.sub("", text))


@dataclass(frozen=True, slots=True)
class Terms:
    """The words of a text, and the joined forms of words written with punctuation."""

    words: tuple[str, ...] = ()
    joined: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def all(self) -> frozenset[str]:
        return frozenset(self.words) | self.joined.keys()

    def text(self) -> str:
        """Words then joined forms, for a tsvector."""
        return " ".join((*self.words, *self.joined))


@lru_cache(maxsize=65_536)
def terms(text: str) -> Terms:
    words: list[str] = []
    joined: dict[str, tuple[str, ...]] = {}
    for chunk in _APOSTROPHES.sub("", text).split():
        parts = norm(chunk).split()
        words.extend(parts)
        if len(parts) > 1:
            joined["".join(parts)] = tuple(parts)
    return Terms(tuple(words), joined)


@lru_cache(maxsize=65_536)
def title_terms(text: str) -> frozenset[str]:
    return terms(text).all


def strip_article(words: tuple[str, ...] | list[str]) -> list[str]:
    """Words without one leading article (unless that is the only word)."""
    if len(words) > 1 and words[0] in ARTICLES:
        return list(words[1:])
    return list(words)


def key(text: str) -> str:
    """A title as whole-title and prefix tests compare it: folded, no leading article."""
    return " ".join(strip_article(terms(text).words))
