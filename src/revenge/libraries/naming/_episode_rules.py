"""Episode markers in release names, each rule finding one way of writing the numbers.

A rule answers a ``Hit``: where the marker sits (the series is the text before it) and
the numbers it carries. Strong rules are explicit markers ("S01E02", "Episode 5",
"Cap.104", "60.Bölüm", packed "CSI.525") and may sit beside an air date; weak rules
(bare numbers) are read only when nothing else marks the episode.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from revenge.libraries.naming._text import cut_release_tags, is_year

_SXE_RE = re.compile(
    r"s(?<![^\W_].)(\d{1,4})[\s._-]*(?:x[\s._-]*)?e(?:p[\s._]*)?(\d{1,5})(?!\d)", re.I
)
# "1x02", "s1x02": starts with its digits so that the engine skips ahead to them; the
# word start (before an optional "s") is checked in ``_nxn``.
_NXN_RE = re.compile(r"(\d{1,4})x(\d{1,4})(?!\d)", re.I)
# "E07", "#07", "Ep 3", "Episode 16", "Épisode 2", "Folge 4", "afl.3". The first letter comes
# first (the word-start check just after it) so that the engine can skip ahead to it.
_KEYWORD_RE = re.compile(
    r"[eéfa#](?<![^\W_].)(?:(?<=[eE#])(\d{1,5})|(?:(?<=[eE])(?:pisod(?:e|io)|p)|(?<=[éÉ])pisode"
    r"|(?<=[fF])olge|(?<=[aA])fl(?:evering)?)[\s._-]*(\d{1,5}))(?!\d)",
    re.I,
)
# Spanish "Cap.104" / "Capitulo 1008" pack the season before a two-digit episode.
_CAP_RE = re.compile(
    r"(?<![^\W_])cap(?:[ií]tulo)?[\s._-]*(\d{1,2}?)(\d\d)(?:_(?:\d{1,2}?)(\d\d))?(?!\d)", re.I
)
# Turkish "60.Bölüm", "01 BLM": the number comes before the word.
_TURKISH_RE = re.compile(r"(?<![^\W_])(\d{1,4})[\s.]*(?:b[öo]l[üu]m|blm)(?![^\W_])", re.I)
_OF_RE = re.compile(r"(?<![^\W_])(\d{1,2})of\d{1,2}(?![^\W_])", re.I)
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_PART_RE = re.compile(
    r"(?<![^\W_])part[\s._-]*(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")(?![^\W_])", re.I
)
# Scene names pack season and episode in one dotted number: "CSI.525", "Show.1013".
_PACKED_RE = re.compile(r"[._](\d{3,6})(?=[._]|$)")
_LEADING_RE = re.compile(r"^(\d{1,4})(?:-(\d{1,4}))?(?=$|[\s._-])")
_DASH_RE = re.compile(r"\s-\s*(\d{1,4})(?:v\d{1,2})?(?![^\W_])")
# The separator before the number is consumed (not looked behind at): the engine then
# skips ahead to separators instead of trying every position.
_SPACED_RE = re.compile(r"[\s._](\d{1,4})(?:v\d{1,2})?(?![^\W_])")
_TRAILING_RE = re.compile(r"[\s._-](\d{1,4})(?:v\d{1,2})?[\s._-]*$")
_RANGE_RE = re.compile(r"(?<=[\s._(])(\d{2,4})\s*[-~]\s*(\d{2,4})(?=$|[\s._)\]\[])")
# "[04]", "[第1008話]", "【24】", "[215 Fin]", "[01-24完]", "[12END]".
_BRACKET_EP_RE = re.compile(
    r"[\[\u3010]\s*\u7b2c?(\d{1,4})(?:\s*[-~]\s*(\d{1,4}))?(?:v\d)?\s*"
    r"(?:[\u8bdd\u8a71\u96c6])?\s*(?:\u5b8c|end|fin)?\s*[\]\u3011]",
    re.I,
)
# What may follow one episode to make a multi-episode file: "-E24", "x04", "-04",
# " - 02x04", " E10", ".S03E02", "_02", "~10", " en 4". A space alone never continues.
_CONTINUATION_RE = re.compile(
    r"(?:\s*-\s*(?:s?\d{1,4})?(?:x|ep?)|[._\s]*s\d{1,4}[\s._]*(?:x|ep?)|[.]\d{1,4}x"
    r"|-?(?:x|ep?)|\s+ep?|\s*~\s*|-|_|\s+(?:en|and|to|&)\s+)(\d{1,5})(?!\d)(?![^\W\d_xe])",
    re.I,
)
_MAX_EPISODES_PER_FILE = 100


class Hit(NamedTuple):
    """One episode marker found in a name (a tuple: made once per rule that matches)."""

    start: int
    end: int
    episode: int
    season: int | None = None
    ending: int | None = None


Rule = Callable[[str, bool], "Hit | None"]


def ending(text: str, pos: int, first: int) -> int | None:
    """Follow multi-episode continuations after pos; return the last episode or None."""
    last = first
    while (match := _CONTINUATION_RE.match(text, pos)) is not None:
        value = int(match.group(1))
        if not last < value < last + _MAX_EPISODES_PER_FILE:
            break
        last, pos = value, match.end()
    return last if last != first else None


def _marker_hit(match: re.Match[str], text: str, season: int | None, episode: int) -> Hit:
    return Hit(match.start(), match.end(), episode, season, ending(text, match.end(), episode))


def season_marker(text: str, grouped: bool) -> Hit | None:
    """ "S01E02", "s1e2", "S01xE02", "S01.Ep06", "S41 E10478", "1x02" and their ranges."""
    match = _SXE_RE.search(text)
    if match is not None:
        return _marker_hit(match, text, int(match.group(1)), int(match.group(2)))
    return _nxn(text)


def _nxn(text: str) -> Hit | None:
    """The first "1x02" / "s1x02" that starts a word and is no picture size."""
    if "x" not in text and "X" not in text:
        return None
    for match in _NXN_RE.finditer(text):
        start = match.start()
        if start and text[start - 1] in "sS":
            start -= 1
        if (start and text[start - 1].isalnum()) or _is_resolution(match):
            continue
        season, episode = int(match.group(1)), int(match.group(2))
        last = ending(text, match.end(), episode)
        return Hit(start, match.end(), episode, season, last)
    return None


def _is_resolution(match: re.Match[str]) -> bool:
    """Tell whether an "NxM" match is a picture size such as 1920x1080."""
    return len(match.group(1)) >= 3 and len(match.group(2)) >= 3


def keyword(text: str, grouped: bool) -> Hit | None:
    """ "Episode 16", "Ep 3", "E07", "afl.3" without a season."""
    match = _KEYWORD_RE.search(text)
    if match is None:
        return None
    return _marker_hit(match, text, None, int(match.group(1) or match.group(2)))


def capitulo(text: str, grouped: bool) -> Hit | None:
    """Spanish "Cap.104" (season 1, episode 4) and "Cap.111_120" ranges."""
    if "cap" not in text.lower():
        return None
    match = _CAP_RE.search(text)
    if match is None or not int(match.group(2)):
        return None
    season = int(match.group(1)) if match.group(1) else None
    last = int(match.group(3)) if match.group(3) else None
    return Hit(match.start(), match.end(), int(match.group(2)), season, last)


def turkish(text: str, grouped: bool) -> Hit | None:
    """Turkish "69. Bölüm", "01 BLM"."""
    lowered = text.lower()
    if "bl" not in lowered and "bol" not in lowered and "b\u00f6l" not in lowered:
        return None
    match = _TURKISH_RE.search(text)
    return None if match is None else Hit(match.start(), match.end(), int(match.group(1)))


def packed(text: str, grouped: bool) -> Hit | None:
    """Dotted scene names: "CSI.525", "Show.1013", "extant.10708" (episodes 7 and 8)."""
    if grouped or ("." not in text and "_" not in text):
        return None
    body = cut_release_tags(text)
    for match in _PACKED_RE.finditer(body):
        digits = match.group(1)
        if len(digits) == 4 and is_year(int(digits)):
            continue
        found = _unpack(digits)
        if found is not None:
            season, episode, last = found
            last = last or ending(body, match.end(), episode) or _next_packed(body, match, found)
            return Hit(match.start(1), match.end(), episode, season, last)
    return None


def _next_packed(body: str, match: re.Match[str], found: tuple[int, int, int | None]) -> int | None:
    """A second packed number of the same season: "Show.103.104" holds episodes 3 and 4."""
    following = _PACKED_RE.match(body, match.end())
    if following is None or len(following.group(1)) != len(match.group(1)):
        return None
    again = _unpack(following.group(1))
    if again is None or again[0] != found[0] or again[1] <= found[1]:
        return None
    return again[1]


def _unpack(digits: str) -> tuple[int, int, int | None] | None:
    """Split a packed number into season, episode and a following episode."""
    size = len(digits)
    season_len = 1 if size in (3, 5) else 2
    season, episode = int(digits[:season_len]), int(digits[season_len : season_len + 2])
    last = int(digits[season_len + 2 :]) if size > 4 else None
    # Two packed episodes are consecutive ("10708": 7 and 8); other six digits are dates.
    if not episode or (last is not None and last != episode + 1):
        return None
    return season, episode, last


def of_total(text: str, grouped: bool) -> Hit | None:
    """Mini-series "5of9"."""
    if "of" not in text and "OF" not in text:
        return None
    match = _OF_RE.search(text)
    return None if match is None else Hit(match.start(), match.end(), int(match.group(1)))


def part(text: str, grouped: bool) -> Hit | None:
    """Mini-series "Part 2", "Part.Two"."""
    if "art" not in text and "ART" not in text:
        return None
    match = _PART_RE.search(text)
    if match is None:
        return None
    value = match.group(1).lower()
    number = int(value) if value.isdigit() else _NUMBER_WORDS.index(value) + 1
    return Hit(match.start(), match.end(), number)


def bracket_episode(text: str, grouped: bool) -> Hit | None:
    """Fansub bracket numbers: "[04]", "[第1008話]", "【24】", "[01-24完]"."""
    if "[" not in text and "\u3010" not in text:
        return None
    for match in _BRACKET_EP_RE.finditer(text):
        first = match.group(1)
        if len(first) == 4 and is_year(int(first)):
            continue
        last = int(match.group(2)) if match.group(2) else None
        episode = int(first)
        return Hit(
            match.start(), match.end(), episode, None, last if last and last > episode else None
        )
    return None


def leading_number(text: str, grouped: bool) -> Hit | None:
    """Names starting with a number: "02 - blah", "02-04", "4-12 - Title"."""
    match = _LEADING_RE.match(text)
    if match is None or looks_like_year(match.group(1)):
        return None
    first, second = match.group(1), match.group(2)
    if second is not None and len(first) < len(second) and first[0] != "0":
        # "4-12": an unpadded short number before a longer one is season-episode.
        return Hit(0, 0, int(second), int(first))
    season, episode = numbered(first)
    last = int(second) if second is not None and int(second) > episode else None
    return Hit(0, 0, episode, season, last)


def numbered(digits: str) -> tuple[int | None, int]:
    """Read a bare number; zero-padded four digits ("0807") mean season 8 episode 7."""
    if len(digits) == 4 and digits[0] == "0" and digits[1] != "0":
        return int(digits[:2]), int(digits[2:])
    return None, int(digits)


def looks_like_year(digits: str) -> bool:
    """Tell whether a four-digit number is more likely a year than an episode."""
    return len(digits) == 4 and digits.isdigit() and is_year(int(digits))


def number_range(text: str, grouped: bool) -> Hit | None:
    """Batches: "Show 01 - 119", "(1017-1088)", "01~10"."""
    for match in _RANGE_RE.finditer(text):
        first, second = match.group(1), match.group(2)
        if looks_like_year(first) or looks_like_year(second) or int(first) >= int(second):
            continue
        if len(first) != len(second) and first[0] != "0":
            # "Eyeshield 21 - 101" is a title number and an episode, "01 - 119" a batch.
            continue
        return Hit(match.start(), match.end(), int(first), None, int(second))
    return None


def loose_number(text: str, grouped: bool) -> Hit | None:
    """ "Series - 07", "[Group] Title - 03 [720p]", a fansub's last number, "Series 101"."""
    patterns = (_DASH_RE, _TRAILING_RE, _SPACED_RE) if grouped else (_DASH_RE, _SPACED_RE)
    for pattern in patterns:
        match = next((m for m in pattern.finditer(text) if not looks_like_year(m.group(1))), None)
        if match is not None and (pattern is _DASH_RE or match.start(1) > 0):
            season, episode = numbered(match.group(1))
            last = ending(text, match.end(), episode)
            return Hit(match.start(), match.end(), episode, season, last)
    return None


STRONG_RULES: tuple[Rule, ...] = (season_marker, keyword, capitulo, turkish, packed, of_total)
WEAK_RULES: tuple[Rule, ...] = (part, bracket_episode, leading_number)
LOOSE_RULES: tuple[Rule, ...] = (number_range, loose_number)
