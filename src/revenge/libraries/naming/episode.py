"""Episode file names: series, season, episode ranges, absolute and date-based numbering."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from revenge.libraries.naming._text import (
    basename,
    cut_release_tags,
    is_year,
    parent,
    split_extension,
    strip_leading_groups,
    trim,
)
from revenge.libraries.naming.season import parse_season_folder

_SXE_RE = re.compile(r"(?<![^\W_])s(\d{1,4})[\s._-]*(?:x[\s._-]*)?e(\d{1,4})(?!\d)", re.I)
_NXN_RE = re.compile(r"(?<![^\W_])s?(\d{1,4})x(\d{1,4})(?!\d)", re.I)
_YMD_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)([-._ ])(\d\d)\2(\d\d)(?!\d)")
_DMY_RE = re.compile(r"(?<!\d)(\d\d)([-._])(\d\d)\2((?:19|20)\d\d)(?!\d)")
# Windows Media Center recordings: "Show_CHANNEL_2018_05_25_01_28_00.wtv".
_TIME_AFTER_RE = re.compile(r"[-._ ]\d\d[-._ ]\d\d[-._ ]\d\d(?!\d)")
_CHANNEL_RE = re.compile(r"_[A-Z][A-Z0-9-]{1,9}$")
_KEYWORD_RE = re.compile(
    r"(?<![^\W_])(?:(?:episode|episodio|folge|ep)[\s._-]*|e)(\d{1,4})(?!\d)", re.I
)
_LEADING_RE = re.compile(r"^(\d{1,4})(?:-(\d{1,4}))?(?=$|[\s._-])")
_DASH_RE = re.compile(r"\s-\s*(\d{1,4})(?:v\d{1,2})?(?![^\W_])")
_BRACKET_RE = re.compile(r"\[(\d{1,4})(?:v\d)?\]")
_BRACKET_GROUP_RE = re.compile(r"\[([^\]]*)\]")
_SPACED_RE = re.compile(r"(?<=[\s._])(\d{1,4})(?:v\d{1,2})?(?![^\W_])")
# What may follow one episode to make a multi-episode file: "-E24", "x04", "-04",
# " - 02x04", " - x04". A space without a dash never continues ("S05E23 11-59").
_CONTINUATION_RE = re.compile(
    r"(?:\s*-\s*(?:s?\d{1,4})?[xe]|-?[xe]|-)(\d{1,4})(?!\d)(?![^\W\d_xe])", re.I
)
# A continuation far beyond the first episode is a codec or resolution, not an episode.
_MAX_EPISODES_PER_FILE = 100


@dataclass(frozen=True, slots=True)
class EpisodeInfo:
    """What an episode path says about the episode."""

    series: str = ""
    season: int | None = None
    episode: int | None = None
    ending_episode: int | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    absolute_episode: int | None = None

    @property
    def is_by_date(self) -> bool:
        """Tell whether the episode is identified by its air date."""
        return self.year is not None


def _series(prefix: str) -> str:
    """Clean the text before the episode marker into a series name."""
    body, _ = strip_leading_groups(prefix)
    return trim(body)


def _ending(text: str, pos: int, first: int) -> int | None:
    """Follow multi-episode continuations after pos; return the last episode or None."""
    last = first
    while (match := _CONTINUATION_RE.match(text, pos)) is not None:
        value = int(match.group(1))
        if not last < value < last + _MAX_EPISODES_PER_FILE:
            break
        last, pos = value, match.end()
    return last if last != first else None


def _numbered(digits: str) -> tuple[int | None, int]:
    """Read a bare number; zero-padded four digits ("0807") mean season 8 episode 7."""
    if len(digits) == 4 and digits[0] == "0" and digits[1] != "0":
        return int(digits[:2]), int(digits[2:])
    return None, int(digits)


def _from_season_marker(stem: str) -> EpisodeInfo | None:
    """Parse "S01E02", "s1e2", "S01xE02", "1x02" and their multi-episode forms."""
    match = _SXE_RE.search(stem)
    if match is None:
        match = next((m for m in _NXN_RE.finditer(stem) if not _is_resolution(m)), None)
    if match is None:
        return None
    episode = int(match.group(2))
    return EpisodeInfo(
        series=_series(stem[: match.start()]),
        season=int(match.group(1)),
        episode=episode,
        ending_episode=_ending(stem, match.end(), episode),
    )


def _is_resolution(match: re.Match[str]) -> bool:
    """Tell whether an "NxM" match is a picture size such as 1920x1080."""
    return len(match.group(1)) >= 3 and len(match.group(2)) >= 3


def _from_date(stem: str) -> EpisodeInfo | None:
    """Parse air dates: "2023.07.14", "1996-11-14", "2018_05_25", "14.11.1996"."""
    for pattern, order in ((_YMD_RE, (1, 3, 4)), (_DMY_RE, (4, 3, 1))):
        for match in pattern.finditer(stem):
            year, month, day = (int(match.group(i)) for i in order)
            try:
                datetime.date(year, month, day)
            except ValueError:
                continue
            series = _series(stem[: match.start()])
            if _TIME_AFTER_RE.match(stem, match.end()):
                series = _CHANNEL_RE.sub("", series)
            return EpisodeInfo(series=series, year=year, month=month, day=day)
    return None


def _from_keyword(stem: str) -> EpisodeInfo | None:
    """Parse "Episode 16", "Ep 3", "E07" without a season."""
    match = _KEYWORD_RE.search(stem)
    if match is None:
        return None
    episode = int(match.group(1))
    return EpisodeInfo(
        series=_series(stem[: match.start()]),
        episode=episode,
        ending_episode=_ending(stem, match.end(), episode),
    )


def _from_leading_number(stem: str) -> EpisodeInfo | None:
    """Parse names starting with a number: "02 - blah", "02-04", "4-12 - Title"."""
    match = _LEADING_RE.match(stem)
    if match is None or _looks_like_year(match.group(1)):
        return None
    first, second = match.group(1), match.group(2)
    if second is not None and len(first) < len(second) and first[0] != "0":
        # "4-12": an unpadded short number before a longer one is season-episode.
        return EpisodeInfo(season=int(first), episode=int(second))
    season, episode = _numbered(first)
    ending = int(second) if second is not None and int(second) > episode else None
    return EpisodeInfo(season=season, episode=episode, ending_episode=ending)


def _looks_like_year(digits: str) -> bool:
    """Tell whether a four-digit number is more likely a year than an episode."""
    return len(digits) == 4 and is_year(int(digits))


def _first_non_year(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """Return the first match whose number is not a year."""
    return next((m for m in pattern.finditer(text) if not _looks_like_year(m.group(1))), None)


def _from_loose_number(stem: str) -> EpisodeInfo | None:
    """Parse "Series - 07", "[Group] Title - 03 [720p]", "[04]" and "Series 101"."""
    body = cut_release_tags(strip_leading_groups(stem)[0])
    for pattern in (_DASH_RE, _SPACED_RE):
        match = _first_non_year(pattern, body)
        if match is not None and (pattern is _DASH_RE or match.start() > 0):
            season, episode = _numbered(match.group(1))
            return EpisodeInfo(
                series=_series(body[: match.start()]),
                season=season,
                episode=episode,
                ending_episode=_ending(body, match.end(), episode),
            )
    return _from_bracket_number(stem)


def _from_bracket_number(stem: str) -> EpisodeInfo | None:
    """Parse fansub names made of bracket groups: "[Group][Title][04][1080p]"."""
    match = _first_non_year(_BRACKET_RE, stem)
    if match is None:
        return None
    # The first group names the release group, the second the series.
    groups = _BRACKET_GROUP_RE.findall(stem[: match.start()])
    series = groups[1] if len(groups) > 1 else _series(stem[: match.start()])
    return EpisodeInfo(series=trim(series), episode=int(match.group(1)))


_RULES: tuple[Callable[[str], EpisodeInfo | None], ...] = (
    _from_season_marker,
    _from_date,
    _from_keyword,
    _from_leading_number,
    _from_loose_number,
)


def parse_episode(path: str, is_directory: bool = False) -> EpisodeInfo:
    """Parse an episode file (or episode folder) path."""
    name = basename(path)
    stem = name if is_directory else split_extension(name)[0]
    info = next((found for rule in _RULES if (found := rule(stem)) is not None), None)
    if info is None:
        info = EpisodeInfo(series=_series(cut_release_tags(stem)))
    if info.season is None:
        # Files without a season in their name take it from a "Season N" parent folder.
        info = replace(info, season=parse_season_folder(parent(path)).season)
    if info.season is None and info.episode is not None:
        info = replace(info, absolute_episode=info.episode)
    return info
