"""Score the naming parsers on the real release-name corpus (tests and bench).

The rules follow the corpus README: numbers compare exactly and ``null`` means absent;
titles compare after NFKC, casefolding, dropping ``? : * " < >``, turning ``. _ -``
into spaces and joining runs of single letters; ``season_default`` rows accept season 1
or none; an ``alt`` object is a second acceptable reading.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from revenge.libraries.naming import parse_episode, parse_movie, parse_season_pack
from revenge.testing.naming_conformance import find_corpus, load_cases

Case = Mapping[str, Any]
__all__ = ["answer", "find_corpus", "group", "is_correct", "load_cases", "normalise"]

_META_FIELDS = frozenset({"kind", "input", "path", "alt", "season_default"})
_TEXT_FIELDS = frozenset({"series", "title"})
_DROP_RE = re.compile(r'[?:*"<>]')
_SPACE_RE = re.compile(r"[._\-\s]+")
_TRAILING_YEAR_RE = re.compile(r"\s*\(\d{4}\)$")


def normalise(text: str) -> str:
    """Reduce a title to the form the corpus compares."""
    text = _DROP_RE.sub("", unicodedata.normalize("NFKC", text).casefold())
    words = _SPACE_RE.sub(" ", text).split()
    out: list[str] = []
    for single, run in itertools.groupby(words, key=lambda w: len(w) == 1 and w.isalpha()):
        # "r i p d" -> "ripd": dotted acronyms compare equal whatever their dots.
        pieces = list(run)
        out.extend(["".join(pieces)] if single else pieces)
    return " ".join(out)


def group(case: Case) -> str:
    """Report group: the kind, or the kind marked as a release title holding slashes."""
    slashed = case["input"] == "title" and ("/" in case["path"] or "\\" in case["path"])
    return f"{case['kind']} (slashed)" if slashed else str(case["kind"])


def answer(case: Case) -> dict[str, Any]:
    """Parse one row's name with the parser that its kind calls for."""
    path, kind = case["path"], case["kind"]
    as_name = case["input"] == "title"
    if kind == "movie":
        movie = parse_movie(path, whole_name=as_name)
        return {"title": movie.title, "year": movie.year}
    if kind == "season_pack":
        pack = parse_season_pack(path, whole_name=as_name)
        return {"series": pack.series, "season": pack.season}
    info = parse_episode(path, whole_name=as_name)
    return {
        "series": info.series,
        "season": info.season,
        "episode": info.episode,
        "ending_episode": info.ending_episode,
        "absolute": info.absolute_episode,
        "year": info.year,
        "month": info.month,
        "day": info.day,
    }


def _same_text(field: str, expected: str, actual: Any) -> bool:
    if not isinstance(actual, str):
        return expected == "" and actual is None
    want, got = normalise(expected), normalise(actual)
    if field == "series" and want != got and not _TRAILING_YEAR_RE.search(expected):
        got = normalise(_TRAILING_YEAR_RE.sub("", actual.strip()))
    return want == got


def _matches(expected: Mapping[str, Any], given: Mapping[str, Any], default: bool) -> bool:
    for field, want in expected.items():
        got = given.get(field)
        if field in _TEXT_FIELDS:
            ok = _same_text(field, want, got)
        elif field == "season" and default:
            ok = got in (None, 1)
        else:
            ok = want == got
        if not ok:
            return False
    return True


def is_correct(case: Case, given: Mapping[str, Any]) -> bool:
    """Tell whether an answer matches the row, or its alternative reading."""
    expected = {k: v for k, v in case.items() if k not in _META_FIELDS}
    default = bool(case.get("season_default"))
    if _matches(expected, given, default):
        return True
    alt = case.get("alt")
    return alt is not None and _matches(alt, given, default)


def expected_fields(case: Case) -> dict[str, Any]:
    """The fields a row asserts, for failure reports."""
    return {k: v for k, v in case.items() if k not in _META_FIELDS}
