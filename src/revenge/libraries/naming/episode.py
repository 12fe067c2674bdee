"""Episode file names: series, season, episode ranges, absolute and date-based numbering.

Markers are tried strongest first (see ``_episode_rules``); the series is the text before
the first marker or air date, cleaned of fansub groups, release tags, a trailing season
word ("Show Season 2") and, in two-language names, the native-script title. A file whose
name carries no numbers takes them from its parent folder ("Show.S01E01.720p/abc.mkv").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from revenge.libraries.naming import _episode_rules as rules
from revenge.libraries.naming._dates import FoundDate, find_date
from revenge.libraries.naming._scripts import latin_title, pick_latin_title
from revenge.libraries.naming._text import (
    basename,
    cut_release_tags,
    parent,
    split_extension,
    strip_leading_groups,
    trim,
)
from revenge.libraries.naming.season import parse_season_folder

# CRC32 hashes ("[E63F2984]") and picture sizes ("1280x720") never hold an episode.
# Each starts with a character class, so the regex engine can skip ahead to it.
_HASH_RE = re.compile(r"[\[(](?![0-9]{8})[0-9A-Fa-f]{8}[\])]")
_PICTURE_SIZE_RE = re.compile(r"\d(?<!\d\d)\d{2,3}x\d{3,4}(?!\d)")
_HAS_DIGIT_RE = re.compile(r"\d")
_WORDS_BRACKET_RE = re.compile(r"\[[^\W\d_](?:[^\W\d_]|[' ])*\](?=\s+-\s*\d)")
_TITLE_BRACKET_RE = re.compile(r"\[[^\W\d_](?:[^\W\d_]|[' ])*\][\s._-]*$")
_BRACKETS_RE = re.compile(r"[\[\]\u3010\u3011]")
# Bracket groups that are no title: a year, or a fansub's "★10月新番★" (new this season).
_NOT_TITLE_RE = re.compile(r"^(?:19|20)\d\d$|[\u2605\u2606]|\u65b0\u756a")
# Windows Media Center recordings: "Show_CHANNEL_2018_05_25_01_28_00.wtv".
_TIME_AFTER_RE = re.compile(r"[-._ ]\d\d[-._ ]\d\d[-._ ]\d\d(?!\d)")
_CHANNEL_RE = re.compile(r"_[A-Z][A-Z0-9-]{1,9}$")
# "Show Season 2", "Show - Temporada 1", "Show S02", "Show Se.3" before the episode marker.
_SEASON_TAIL_RE = re.compile(
    r"(?:^|[\s._-]+)(?:season|saison|temporada|staffel|stagione|seizoen|sezon|se|s)"
    r"[\s._-]*(\d{1,4})[\s._-]*$",
    re.I,
)
# An anime absolute number beside the season marker: "Show - 05 - S01E05", "One Piece 214 10x14".
_ABSOLUTE_BEFORE_RE = re.compile(r"[\s._-]+(\d{1,4})(\.\d)?[\s._-]*$")
_DASHED_AFTER_RE = re.compile(r"(?:-e?\d{1,4})*\s-\s\d{2,4}\s-\s")
_DASH_NUMBER_END_RE = re.compile(r"\s-\s*\d{1,4}(?:\.\d)?[\s(-]*$")
_ABSOLUTE_AFTER_RE = re.compile(r"(?:-e?\d{1,4})*[\s._-]+(\d{2,4})(?:-\d{2,4})?(?=$|[\s._-])")


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


def _series(
    prefix: str, numbered: bool = False, cut: bool = True
) -> tuple[str, int | None, int | None]:
    """Clean the text before the marker; return (series, season named in it, absolute).

    ``numbered``: the marker is "10x14" or follows " - ", where anime names put the
    absolute number just before it ("One Piece 214 10x14", "Show - 05 - S01E05").
    ``cut``: release tags may remain (false when the text was already cut).
    """
    if "[" in prefix or "\u3010" in prefix:
        prefix = strip_leading_groups(prefix)[0]
    body = cut_release_tags(prefix) if cut else prefix
    end_bracket = _TITLE_BRACKET_RE.match(prefix, len(body)) if len(body) < len(prefix) else None
    if end_bracket is not None and not _is_tag(end_bracket.group(0)):
        body = prefix  # "Title [Subtitle] - 01": a bracket of words just before the number
    body = trim(body)
    season = absolute = None
    # The season word sits at the very end: only the last few words need searching.
    tail = _SEASON_TAIL_RE.search(body, max(0, len(body) - 24)) if body[-1:].isdigit() else None
    if tail is not None and tail.start() > 0:
        season, body = int(tail.group(1)), trim(body[: tail.start()])
    if numbered and body[-1:].isdigit():
        number = _ABSOLUTE_BEFORE_RE.search(body)
        if number is not None and number.start() > 0 and not rules.looks_like_year(number.group(1)):
            absolute = None if number.group(2) else int(number.group(1))
            body = trim(body[: number.start()])
    return (body if body.isascii() else latin_title(body)), season, absolute


def _absolute_before(text: str, hit: rules.Hit | None) -> bool:
    """Whether a fansub name may carry an absolute number just before its season marker."""
    if hit is None or hit.season is None:
        return False
    bare = text[hit.start] not in "sS"
    return bare or _DASH_NUMBER_END_RE.search(text, 0, hit.start) is not None


def _absolute_after(text: str, hit: rules.Hit, grouped: bool) -> int | None:
    """The absolute number a fansub writes after "S01E01": "S01E01.001", "S01E01-02 - 001".

    Outside fansub names only the dashed form counts: "Show - S02E05 - 030 - Title".
    """
    match = _ABSOLUTE_AFTER_RE.match(text, hit.end)
    if match is None or rules.looks_like_year(match.group(1)):
        return None
    if not grouped and not _DASHED_AFTER_RE.match(text, hit.end):
        return None
    return int(match.group(1))


def _find_hit(text: str, grouped: bool, dated: bool) -> tuple[rules.Hit | None, str]:
    """First marker by rule strength; returns the hit and the text its offsets refer to."""
    for rule in rules.STRONG_RULES:
        if (hit := rule(text, grouped)) is not None:
            return hit, text
    if dated:
        return None, text
    for rule in rules.WEAK_RULES:
        if (hit := rule(text, grouped)) is not None:
            return hit, text
    body = _cut_tags(strip_leading_groups(text)[0])
    for rule in rules.LOOSE_RULES:
        if (hit := rule(body, grouped)) is not None:
            return hit, body
    return None, text


def _cut_tags(text: str) -> str:
    """Release tags cut off; a bracket before " - 01" is stepped over (kept if words)."""
    body, pos = "", 0
    while True:
        cut = cut_release_tags(text[pos:])
        body += cut
        end = pos + len(cut)
        kept = _WORDS_BRACKET_RE.match(text, end) if end < len(text) else None
        if kept is None:
            return body
        # "Title [Subtitle] - 01" keeps its words; "Title [HDTV] - 01" only its number.
        body += " " if _is_tag(kept.group(0)) else kept.group(0)
        pos = kept.end()


def _is_tag(bracket: str) -> bool:
    """Whether "[HDTV]" holds a release tag rather than words of a title."""
    inner = " " + bracket.strip("[] ") + " "
    return cut_release_tags(inner) != inner


def _fansub_series(text: str, hit: rules.Hit, grouped: bool) -> str | None:
    """Series of a bracket-structured fansub name: the Latin title among its groups."""
    if text[hit.start] not in "[\u3010":
        return None
    before = text[: hit.start]
    pieces = _BRACKETS_RE.split(before)
    candidates = [p for p in pieces if trim(p) and not _NOT_TITLE_RE.search(trim(p))]
    if grouped and before.lstrip()[:1] in "[\u3010" and len(candidates) > 1:
        candidates = candidates[1:]  # the first group names the release group
    return pick_latin_title(candidates) or None


def parse_episode_name(stem: str) -> EpisodeInfo:
    """Parse one file or folder name (without extension) as an episode."""
    text = _HASH_RE.sub(" ", stem) if ("[" in stem or "(" in stem) else stem
    text = _PICTURE_SIZE_RE.sub(" ", text) if "x" in text else text
    grouped = text.lstrip()[:1] in "[\u3010"
    date = find_date(text)
    hit, source = _find_hit(text, grouped, date is not None)
    if date is not None and hit is not None and date.start < hit.end and hit.start < date.end:
        date = None  # "E.010910": the digits are packed episodes, not a date
    if hit is None and date is None:
        return EpisodeInfo(series=_series(text)[0])
    return _assemble(source, hit, date, grouped, source is text)


def _assemble(
    text: str, hit: rules.Hit | None, date: FoundDate | None, grouped: bool, whole: bool
) -> EpisodeInfo:
    """Combine a marker and an air date into the episode, the series before both."""
    if hit is None or date is None:
        start = hit.start if hit is not None else date.start if date is not None else 0
    else:
        start = min(hit.start, date.start)
    prefix = text[:start]
    if not trim(prefix) and hit is not None and date is not None and date.start < hit.start:
        # "210810 Show Name ep05": the date leads and the series sits between.
        prefix = text[date.end : hit.start]
    fansub = None
    if hit is not None and text[hit.start] in "[\u3010":
        fansub = _fansub_series(text, hit, grouped)
    if fansub is not None:
        series, season, absolute = _series(fansub)
    else:
        numbered = grouped and _absolute_before(text, hit)
        series, season, absolute = _series(prefix, numbered, whole)
    if hit is not None:
        season = hit.season if hit.season is not None else season
        if absolute is None and hit.season is not None and (grouped or " - " in text):
            absolute = _absolute_after(text, hit, grouped)
    if date is not None and _TIME_AFTER_RE.match(text, date.end):
        series = _CHANNEL_RE.sub("", series)
    return EpisodeInfo(
        series=series,
        season=season,
        episode=None if hit is None else hit.episode,
        ending_episode=None if hit is None else hit.ending,
        year=None if date is None else date.date.year,
        month=None if date is None else date.date.month,
        day=None if date is None else date.date.day,
        absolute_episode=absolute,
    )


def _from_folder(folder_name: str, info: EpisodeInfo) -> EpisodeInfo:
    """Numbers from the parent folder when the file name has no season and episode."""
    folder = parse_episode_name(folder_name)
    if folder.season is not None and folder.episode is not None:
        return replace(
            info,
            series=info.series or folder.series,
            season=folder.season,
            episode=folder.episode,
            ending_episode=folder.ending_episode,
        )
    if not info.series and info.episode is not None and folder.episode is not None:
        return replace(info, series=folder.series)
    return info


def parse_episode(path: str, is_directory: bool = False, whole_name: bool = False) -> EpisodeInfo:
    """Parse an episode file (or episode folder) path, or a whole release title."""
    folder_path = "" if whole_name else parent(path)
    name = path if whole_name else basename(path)
    stem = name if is_directory else split_extension(name)[0]
    info = parse_episode_name(stem)
    folder_name = basename(folder_path) if folder_path else ""
    numbered = info.season is not None and info.episode is not None
    if folder_name and not numbered and info.year is None and _HAS_DIGIT_RE.search(folder_name):
        info = _from_folder(folder_name, info)
    season = info.season
    if season is None and folder_path:
        # Files without a season in their name take it from a "Season N" parent folder.
        season = parse_season_folder(folder_path).season
    absolute = info.absolute_episode
    if season is None and absolute is None:
        absolute = info.episode
    if season == info.season and absolute == info.absolute_episode:
        return info
    return EpisodeInfo(
        info.series, season, info.episode, info.ending_episode,
        info.year, info.month, info.day, absolute,
    )  # fmt: skip
