"""Query understanding: what each word of a query may match, and the tsqueries of it.

Each word keeps the spellings it may match with a cost (0 for itself and for the other
spellings of a number, the edit distance for a typo correction), whether it may be the
start of a longer word, and the pairs of known words it may be written together from.
A year (1870-2039) and the small words a title may drop (`the`, `of`, ...) are optional:
they help ranking when they match but a title need not hold them, since the year is
metadata. Adjacent words whose joined form is a known word may match it (`spider man` ->
`spiderman`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from revenge.search.folding import NUMBERS, OPTIONAL, fold, key
from revenge.search.vocabulary import Vocabulary

MAX_WORDS = 8
YEARS = range(1870, 2040)
NUMBER_COST = 0.05


@dataclass(slots=True)
class Word:
    text: str
    optional: bool = False
    year: int | None = None
    # Spellings this word matches whole, with their cost (itself 0, a typo its edits).
    spellings: dict[str, float] = field(default_factory=dict)
    prefix: bool = True
    splits: list[tuple[str, str]] = field(default_factory=list)

    def tsquery(self) -> str:
        branches = [f"'{self.text}':*" if self.prefix else f"'{self.text}'"]
        branches += [f"'{s}'" for s in self.spellings if s != self.text]
        branches += [f"('{a}' & '{b}')" for a, b in self.splits]
        return "(" + " | ".join(branches) + ")"


@dataclass(slots=True)
class QueryPlan:
    words: list[Word]
    # (i, joined): words i and i + 1 may match the one known word `joined`.
    joins: list[tuple[int, str]]
    phrase: str  # the query's key (no year, no leading article): whole-title test

    @property
    def required(self) -> list[Word]:
        return [w for w in self.words if not w.optional]

    def tsquery(self, exact: bool = False) -> str:
        """Every required word (or its join with the next one) must match; `exact`: only
        the words as typed (or their start), without corrections."""
        joined = dict(self.joins)
        parts: list[str] = []
        skip = -1
        for i, word in enumerate(self.words):
            if word.optional or i == skip:
                continue
            text = f"'{word.text}':*" if exact else word.tsquery()
            nxt = self.words[i + 1] if i + 1 < len(self.words) else None
            if i in joined and nxt is not None and not nxt.optional:
                other = f"'{nxt.text}':*" if exact else nxt.tsquery()
                text, skip = f"(({text} & {other}) | '{joined[i]}')", i + 1
            parts.append(text)
        return " & ".join(parts)


def plan(text: str, vocab: Vocabulary) -> QueryPlan | None:
    """The plan of a query, or None when it holds no word."""
    tokens = fold(text).split()[:MAX_WORDS]
    if not tokens:
        return None
    words = [_word(t, i, len(tokens), vocab) for i, t in enumerate(tokens)]
    if all(w.optional for w in words):
        for word in words:
            word.optional = False
    joins = [
        (i, a.text + b.text)
        for i, (a, b) in enumerate(itertools.pairwise(words))
        if vocab.known(a.text + b.text)
    ]
    titled = [w.text for w in words if w.year is None] or tokens
    return QueryPlan(words, joins, key(" ".join(titled)))


def _word(token: str, at: int, count: int, vocab: Vocabulary) -> Word:
    word = Word(token, spellings={token: 0.0})
    if token.isdigit() and int(token) in YEARS:
        word.optional, word.year = True, int(token)
    elif token in OPTIONAL and (at == 0 or count > 2):
        word.optional = True
    for spelling in NUMBERS.get(token, ()):
        # Another spelling of the number: as good as the word, but the word as typed first.
        word.spellings.setdefault(spelling, NUMBER_COST)
    if token.isdigit():
        # `2` is not the start of `2012`, unless it is the word being typed.
        word.prefix = at == count - 1
    for correction, distance in vocab.corrections(token).items():
        word.spellings.setdefault(correction, float(distance))
    if not vocab.known(token):
        word.splits = vocab.splits(token)
    return word
