"""Season folder detection and series names from folder names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from revenge.libraries.naming._scripts import latin_title
from revenge.libraries.naming._text import (
    basename,
    cut_release_tags,
    humanize,
    parent,
    strip_leading_groups,
    trim,
)

# "Season" in the languages users actually name folders in.
_SEASON_WORDS = (
    r"season|saison|seizoen|staffel|stagione|s[æa]son|s[äa]song|sesong|temporada|series"
    r"|kausi|sez[oó]n(?:a|ul)?|сезон"
)

_DIGIT_RE = re.compile(r"\d")
_SPECIALS_RE = re.compile(r"^(?:specials?|extras?)$", re.IGNORECASE)
_NUMERIC_RE = re.compile(r"^\d{1,4}$")
_WORD_NUMBER_RE = re.compile(
    rf"(?:^|(?<=[\s._-]))(?:{_SEASON_WORDS})[\s._-]*(\d{{1,4}})(?!\d)", re.IGNORECASE
)
_NUMBER_WORD_RE = re.compile(rf"^(\d{{1,4}})[\s._-]*(?:{_SEASON_WORDS})(?![^\W_])", re.IGNORECASE)
# A bare "S04" token; "s06e05" is an episode, so no letter or digit may follow.
_S_TOKEN_RE = re.compile(r"(?<![^\W_])s(\d{1,4})(?![^\W_])", re.IGNORECASE)

_PACK_S_RE = re.compile(r"(?<![^\W_])s(\d{1,3})(?![^\W_])", re.IGNORECASE)
_PACK_WORD_RE = re.compile(
    rf"(?<![^\W_])(?:{_SEASON_WORDS})[\s._-]*(\d{{1,3}})(?![^\W_])", re.IGNORECASE
)

# "Show Complete Season 1": the word describes the pack, not the show.
_COMPLETE_RE = re.compile(r"[\s._-]+(?:the[\s._-]+)?complete[\s._-]*$", re.IGNORECASE)

# Movie box-set folders hold numbered sub-folders ("300 Collection/1") that are not seasons.
_COLLECTION_RE = re.compile(
    r"(?<![^\W_])(?:collection|box\s*set|boxset|trilogy|saga|anthology)(?![^\W_])",
    re.IGNORECASE,
)

# Where a series name ends in a release/season folder name.
_SERIES_END_RE = re.compile(
    rf"(?<![^\W_])(?:s\d{{1,4}}(?:[\s._-]*e\d{{1,4}})?|\d{{1,4}}x\d{{1,4}}"
    rf"|(?:{_SEASON_WORDS})[\s._-]*\d{{1,4}})(?![^\W_])",
    re.IGNORECASE,
)
_TRAILING_YEAR_RE = re.compile(r"\s*[(\[]\d{4}(?:\s*-\s*\d{0,4})?[)\]]\s*$")


@dataclass(frozen=True, slots=True)
class SeasonFolder:
    """Result of parsing a folder that may be a season folder."""

    season: int | None = None
    is_season_folder: bool = False


# Korean "시즌 2" / "2기", Japanese "シーズン2" / "第2期", Chinese "第2季" / "第二季".
_CJK_SEASON_RE = re.compile(
    r"(?:\uc2dc\uc98c|\u30b7\u30fc\u30ba\u30f3)\s*(\d{1,3})"
    r"|\u7b2c\s*(\d{1,3}|[\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d\u5341]{1,3})"
    r"\s*[\u5b63\u671f\u90e8]"
    r"|(\d{1,3})\s*(?:\uae30|\uc2dc\uc98c)(?![^\W\d_])"
)
_CHINESE_DIGITS = "\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d"


def _chinese_number(text: str) -> int:
    """ "二" -> 2, "十二" -> 12, "二十" -> 20 (seasons stay far below a hundred)."""
    if text.isdigit():
        return int(text)
    tens, _, ones = text.rpartition("\u5341")
    if "\u5341" not in text:
        return _CHINESE_DIGITS.index(text) + 1
    high = _CHINESE_DIGITS.index(tens) + 1 if tens else 1
    return high * 10 + (_CHINESE_DIGITS.index(ones) + 1 if ones else 0)


def _cjk_season(name: str) -> int | None:
    """Season number of a Korean, Japanese or Chinese season folder name."""
    if name.isascii():
        return None
    match = _CJK_SEASON_RE.search(name)
    if match is None:
        return None
    return _chinese_number(next(g for g in match.groups() if g))


def _season_number(name: str, parent_name: str) -> int | None:
    """Return the season number a folder name stands for, if any."""
    if _SPECIALS_RE.match(name):
        return 0
    if _NUMERIC_RE.match(name):
        return None if _COLLECTION_RE.search(parent_name) else int(name)
    if name.isascii() and _DIGIT_RE.search(name) is None:
        return None  # every season name below holds a digit (CJK ones may use numerals)
    for pattern in (_WORD_NUMBER_RE, _NUMBER_WORD_RE, _S_TOKEN_RE):
        match = pattern.search(name)
        if match is not None:
            return int(match.group(1))
    return _cjk_season(name)


def parse_season_folder(path: str, parent_path: str | None = None) -> SeasonFolder:
    """Tell whether a folder is a season folder and which season it holds."""
    name = basename(path).strip()
    parent_name = basename(parent(path) if parent_path is None else parent_path)
    season = _season_number(name, parent_name)
    return SeasonFolder(season=season, is_season_folder=season is not None)


def _series_from_folder(name: str) -> str:
    """Return the series part of one folder name; empty for bare season folders."""
    if _NUMERIC_RE.match(name) or _SPECIALS_RE.match(name):
        return ""
    body, _ = strip_leading_groups(name)
    end = _SERIES_END_RE.search(body) or (None if body.isascii() else _CJK_SEASON_RE.search(body))
    if end is not None:
        body = body[: end.start()]
    body = _TRAILING_YEAR_RE.sub("", cut_release_tags(body))
    return humanize(trim(body))


def parse_series_name(path: str) -> str:
    """Return the display name of a series from its folder (or a season folder inside it)."""
    name = basename(path).strip()
    series = _series_from_folder(name)
    if not series and parent(path):
        # "Show/Season 10" names the series in the parent folder.
        series = _series_from_folder(basename(parent(path)))
    return series or humanize(trim(name))


@dataclass(frozen=True, slots=True)
class SeasonPack:
    """A folder (or release) holding one season of a series: "Show.S02.1080p", "Show Season 3"."""

    series: str = ""
    season: int | None = None


def parse_season_pack(path: str, whole_name: bool = False) -> SeasonPack:
    """Read the series and season of a season-pack folder name ("Show.S02.1080p")."""
    name = (path if whole_name else basename(path)).strip()
    body, _ = strip_leading_groups(name)
    # An "S02" token is the surest mark; season words may also be title words.
    match = next((m for m in _PACK_S_RE.finditer(body) if m.start() > 0), None)
    if match is None:
        match = next((m for m in _PACK_WORD_RE.finditer(body) if m.start() > 0), None)
    if match is None:
        return SeasonPack(series=_series_from_folder(name), season=_season_number(name, ""))
    series = latin_title(trim(_COMPLETE_RE.sub("", cut_release_tags(body[: match.start()]))))
    return SeasonPack(series=series, season=int(match.group(1)))
