"""Which podcast and episode a file is: one folder per podcast, one file per episode.

The podcast is the first folder under the root (its title from the album tag when set);
files lying in the root are grouped by their album tag. Episode title, number and date
come from tags, else from names like "2024-03-01 - 042 - Title.mp3", "Ep 42 Title" or
"Show 67 - Title.mp3" (the show's own name before the number).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from revenge.catalog.text import norm
from revenge.libraries.naming import display_case, numbered_title

UNKNOWN_PODCAST = "Unknown Podcast"
_DATE = re.compile(r"(?<!\d)(\d{4})[-._](\d{2})[-._](\d{2})(?!\d)")
_SEPARATORS = re.compile(r"^[\s._-]+|[\s._-]+$")


@dataclass(slots=True)
class EpisodePlan:
    podcast_key: str
    podcast_title: str
    author: str | None
    key: str
    title: str
    number: int | None
    published: dt.date | None


def _date(text: str) -> tuple[dt.date | None, str]:
    match = _DATE.search(text)
    if match is None:
        return None, text
    try:
        found = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None, text
    return found, _SEPARATORS.sub("", text[: match.start()] + " " + text[match.end() :])


def plan_podcast_episode(parts: tuple[str, ...], tags: dict[str, Any]) -> EpisodePlan:
    """The podcast episode of a file at `parts` with tags (possibly empty)."""
    folder = display_case(parts[0]) if len(parts) > 1 else None
    podcast = tags.get("album") or folder or UNKNOWN_PODCAST
    podcast_key = norm(folder) if folder else norm(podcast)
    stem = parts[-1].rsplit(".", 1)[0]
    published, rest = _date(stem)
    if published is None and isinstance(tags.get("date"), str):
        published, _ = _date(tags["date"])
    number, rest = numbered_title(rest, podcast)
    return EpisodePlan(
        podcast_key=podcast_key,
        podcast_title=podcast,
        author=tags.get("artist"),
        key=f"{podcast_key}|{norm('/'.join(parts[1:])) or norm(stem)}",
        title=tags.get("title") or display_case(_SEPARATORS.sub("", rest) or stem),
        number=tags.get("track") or number,
        published=published,
    )
