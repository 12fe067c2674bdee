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


def terms(text: str) -> Terms:
    words, joined = cut(text)
    return Terms(words, dict(joined))


Cut = tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]


# The cache keeps plain tuples of strings, which the garbage collector stops tracking, not
# Terms: held here by the ten thousand (titles and names come back at every index write and
# ranking), Terms objects were the largest part of what each full collection walked in a
# serving process, ~40 ms pauses every ~12 s under bench/catalog.py's think-time load.
@lru_cache(maxsize=65_536)
def cut(text: str) -> Cut:
    """`terms` as plain tuples: the words, and (joined form, its words) pairs; for hot paths
    that would only take them apart again."""
    words: list[str] = []
    joined: list[tuple[str, tuple[str, ...]]] = []
    for chunk in _APOSTROPHES.sub("", text).split():
        parts = norm(chunk).split()
        words.extend(parts)
        if len(parts) > 1:
            joined.append(("".join(parts), tuple(parts)))
    return tuple(words), tuple(joined)


def strip_article(words: tuple[str, ...] | list[str]) -> list[str]:
    """Words without one leading article (unless that is the only word)."""
    if len(words) > 1 and words[0] in ARTICLES:
        return list(words[1:])
    return list(words)


def key(text: str) -> str:
    """A title as whole-title and prefix tests compare it: folded, no leading article."""
    return " ".join(strip_article(cut(text)[0]))
