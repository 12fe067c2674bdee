"""Which series, season and episode a file is, from its path.

- The series is the first folder under the library root ("Show (2005)/..."); a file lying
  directly in the root takes the series name from its own name.
- The season comes from the file ("S02E03", "2x03") or its folder ("Season 2"); the
  "Specials" folder is season 0.
- "S01E01-E02" is one episode row covering 1-2; "Show 2021-05-04" is a dated episode
  (season = year); "Show - 012" without any season is absolute numbering (season 1).
- Extras folders of a series attach their files to the series; samples are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from revenge.catalog.text import norm
from revenge.libraries.naming import (
    EpisodeInfo,
    clean_title,
    display_case,
    extra_folder_type,
    parse_episode,
    parse_series_name,
)

_YEAR_IN_FOLDER = re.compile(r"[(\[](\d{4})[)\]]")
_PROVIDER_ID = re.compile(r"[\[{](tvdb|tmdb|imdb)(?:id)?[-=]([a-z0-9]+)[\]}]", re.IGNORECASE)
_MARKER = re.compile(
    r"(?:s\d{1,4}[\s._-]*e\d{1,4}(?:[\s._]*-[\s._]*e?\d{1,4}|[\s._-]*e\d{1,4})*|\d{1,2}x\d{1,3}"
    r"|\d{4}[-.]\d{2}[-.]\d{2})",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^[\s._-]+|[\s._-]+$")
# A tail made only of release tags is no title.
_RELEASE_ONLY = re.compile(
    r"^(?:\d{3,4}[pi]|4k|uhd|hdtv|web(?:[\s._-]?dl|rip)?|blu[\s._-]?ray|bdrip|x26[45]|h26[45]"
    r"|hevc|proper|repack)(?![^\W_])",
    re.IGNORECASE,
)


@dataclass(slots=True)
class SeriesPlan:
    key: str
    title: str
    year: int | None
    ids: dict[str, str]


@dataclass(slots=True)
class EpisodePlan:
    series: SeriesPlan
    season: int | None = None
    number: int | None = None
    ending_number: int | None = None
    absolute_number: int | None = None
    air_date: dt.date | None = None
    title: str = ""
    key: str = ""
    extra_type: str | None = None


def _readable(text: str) -> str:
    """Dotted release names read with spaces ("Loose.Show" -> "Loose Show"), and cased."""
    return display_case(text if " " in text else re.sub(r"[._]+", " ", text).strip())


def _series_plan(folder: str | None, info: EpisodeInfo, stem: str) -> SeriesPlan:
    if folder is None:
        name = _readable(info.series or stem)
        return SeriesPlan(f"{norm(name)}|", name, None, {})
    name = display_case(parse_series_name(folder) or folder)
    year_match = _YEAR_IN_FOLDER.search(folder)
    year = int(year_match.group(1)) if year_match else None
    ids = {m.group(1).lower(): m.group(2) for m in _PROVIDER_ID.finditer(folder)}
    return SeriesPlan(f"{norm(name)}|{year or ''}", name, year, ids)


def _episode_title(stem: str, series: str) -> str:
    """The text after the episode marker ("Show - S01E02 - Pilot" -> "Pilot")."""
    match = _MARKER.search(stem)
    if match is None:
        return ""
    raw = _SEPARATOR.sub("", stem[match.end() :])
    if _RELEASE_ONLY.match(raw):
        return ""
    tail = _SEPARATOR.sub("", _readable(clean_title(raw) or raw))
    return "" if norm(tail) == norm(series) else tail


def _dated(info: EpisodeInfo) -> dt.date | None:
    if info.year is None or info.month is None or info.day is None:
        return None
    try:
        return dt.date(info.year, info.month, info.day)
    except ValueError:
        return None


def plan_episode(parts: tuple[str, ...]) -> EpisodePlan | None:
    """The episode (or series extra) of a file at `parts`; None for ignored files."""
    series_folder = parts[0] if len(parts) > 1 else None
    stem = parts[-1].rsplit(".", 1)[0]
    for folder in parts[1:-1]:
        kind = extra_folder_type(folder)
        # "Specials" is season 0; every other extras folder ("Extras", "Trailers") holds extras.
        if kind is not None and folder.strip().lower() not in ("special", "specials"):
            if kind == "Sample":
                return None
            info = EpisodeInfo(series=stem)
            return EpisodePlan(series=_series_plan(series_folder, info, stem), extra_type=kind)
    info = parse_episode("/".join(parts))
    series = _series_plan(series_folder, info, stem)
    plan = EpisodePlan(series=series, season=info.season, number=info.episode)
    plan.ending_number = info.ending_episode
    plan.air_date = _dated(info)
    if plan.air_date is not None:
        plan.season = plan.season if plan.season is not None else plan.air_date.year
        plan.key = f"{series.key}|d{plan.air_date.isoformat()}"
    elif info.season is None and info.episode is not None:
        plan.season, plan.absolute_number = 1, info.absolute_episode or info.episode
        plan.key = f"{series.key}|a{plan.number}"
    elif plan.number is not None:
        plan.key = f"{series.key}|s{plan.season}e{plan.number}"
    else:
        plan.season = plan.season if plan.season is not None else 1
        plan.key = f"{series.key}|f{norm(stem)}"
    plan.title = _episode_title(stem, series.title) or _fallback_title(plan, stem)
    return plan


def _fallback_title(plan: EpisodePlan, stem: str) -> str:
    if plan.air_date is not None:
        return plan.air_date.isoformat()
    if plan.number is None:
        return _readable(stem)
    if plan.ending_number:
        return f"Episode {plan.number}-{plan.ending_number}"
    return f"Episode {plan.number}"
