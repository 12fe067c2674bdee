"""Movie file names: title, year, provider ids, stacks, 3D, versions and extras."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from revenge.libraries.naming._dates import find_date
from revenge.libraries.naming._text import (
    YEAR_RE,
    basename,
    clean_name,
    cut_release_tags,
    humanize,
    is_year,
    parent,
    provider_ids,
    remove_provider_ids,
    split_extension,
    trim,
)
from revenge.libraries.naming.extras import split_extra_suffix

# "www.Torrenting.com - Title.2008": a download site's name before the title.
_SITE_PREFIX_RE = re.compile(
    r"^\s*(?:www\.[\w-]+\.[a-z]{2,6}|[\w-]+\.(?:com|org|net|info|to|tv|me|cc|ru|io|co|show"
    r"|in|ws|se|xyz|club|lol|pw|ag|is|li|su|ch|eu|uk|de|fr|nl|biz|site|online|top|vip))"
    r"\s*-\s*(?=\S)",
    re.I,
)
_LEADING_YEAR_RE = re.compile(r"^\s*[(\[]((?:18|19|20)\d\d)[)\]]\s*(?=\S)")
# "cd1", "disc 2", "dvd1", "part2", "pt.3", "cd a": a file that is one piece of a stack.
_DAY_MONTH_AFTER_RE = re.compile(r"[-._ ]\d\d[-._ ]\d\d(?!\d)")
_DAY_MONTH_BEFORE_RE = re.compile(r"(?<!\d)\d\d[-._ ]\d\d[-._ ]$")
_3D_WORDS = ("3d", "sbs", "tab", "ou", "mvc")
_STACK_WORDS = ("cd", "dvd", "dis", "part", "pt")
_STACK_RE = re.compile(
    r"(?<![^\W_])(cd|dvd|dis[ck]|part|pt)[\s._-]*(\d{1,2}|[a-d])(?![^\W_])", re.I
)
# Without a year, "Part 2" at the end is usually the title ("Deathly Hallows Part 2");
# only the unambiguous keywords, or "part2" written as one word, mark a stack there.
_TAIL_STACK_RE = re.compile(
    r"[\s._-]*(?<![^\W_])(?:(?:cd|dvd|dis[ck])[\s._-]*|part|pt)(\d{1,2}|[a-d])\s*$", re.I
)
_FORMAT_3D_RE = re.compile(r"(?<![^\W_])(3d|[hf]?sbs|[hf]?tab|h?ou|mvc)(?![^\W_])", re.I)
# Formats that are ordinary words elsewhere ("ou" is French for "or") need a "3D" too.
_WEAK_3D_FORMATS = frozenset({"tab", "ou", "hou"})
_VERSION_RE = re.compile(r"^\s*-\s+(.+?)\s*$")


@dataclass(frozen=True, slots=True)
class MovieInfo:
    """What a movie path says about the movie."""

    title: str
    year: int | None = None
    display_title: str = ""
    extra_type: str | None = None
    part: int | None = None
    is_3d: bool = False
    format_3d: str | None = None
    version: str | None = None
    provider_ids: Mapping[str, str] = field(default_factory=dict)
    container: str | None = None


def _find_year(stem: str) -> re.Match[str] | None:
    """Return the year: the last bracketed one, else the last plausible one not first.

    A year inside an air date ("2015.09.07") is never the film's year.
    """
    found = bracketed = None
    for match in YEAR_RE.finditer(stem):
        if not is_year(int(match.group(1))) or not trim(stem[: match.start()]):
            continue
        if _in_date(stem, match):
            continue
        found = match
        # A year alone in brackets is the film's; the first such one wins.
        if (
            bracketed is None
            and stem[match.start() - 1] in "(["
            and stem[match.end() : match.end() + 1] in (")", "]")
        ):
            bracketed = match
    return bracketed or found


def _in_date(stem: str, match: re.Match[str]) -> bool:
    """Whether a year is part of an air date: "2015.09.07" or "07.09.2015"."""
    start = match.start()
    return (
        _DAY_MONTH_AFTER_RE.match(stem, match.end()) is not None
        or _DAY_MONTH_BEFORE_RE.search(stem, max(0, start - 6), start) is not None
    )


def _stack_part(text: str, anywhere: bool) -> tuple[str, int | None]:
    """Remove a stack marker ("cd1", "part2") from text; return (rest, part number)."""
    lowered = text.lower()
    if not any(word in lowered for word in _STACK_WORDS):
        return text, None
    match = _STACK_RE.search(text) if anywhere else _TAIL_STACK_RE.search(text)
    if match is None or (not anywhere and match.start() == 0):
        return text, None
    value = match.group(match.lastindex or 0)
    number = int(value) if value.isdigit() else ord(value.lower()) - ord("a") + 1
    return text[: match.start()] + " " + text[match.end() :], number


def _format_3d(text: str) -> tuple[bool, str | None]:
    """Detect 3D markers; return (is 3D, layout such as "HSBS" or None)."""
    lowered = text.lower()
    if not any(word in lowered for word in _3D_WORDS):
        return False, None
    tokens = [token.lower() for token in _FORMAT_3D_RE.findall(text)]
    has_3d = "3d" in tokens
    layouts = [t for t in tokens if t != "3d" and (has_3d or t not in _WEAK_3D_FORMATS)]
    return has_3d or bool(layouts), (layouts[0].upper() if layouts else None)


def _tail_details(tail: str) -> tuple[str | None, int | None]:
    """Read the version label and stack part from the text after the year."""
    rest, part = _stack_part(tail, anywhere=True)
    version = _VERSION_RE.match(rest)
    label = trim(version.group(1)) if version is not None else ""
    return label or None, part


def _title_without_year(stem: str) -> tuple[str, int | None]:
    """Title and stack part for a name that carries no year (an air date ends the title)."""
    date = find_date(stem, short=False) if len(stem) > 9 else None
    if date is not None and trim(stem[: date.start]):
        stem = stem[: date.start]
    rest, part = _stack_part(stem, anywhere=False)
    return clean_name(rest), part


def parse_movie(path: str, whole_name: bool = False) -> MovieInfo:
    """Parse a movie file or folder path (or a whole release title) into title and year."""
    name = path if whole_name else basename(path)
    stem, ext = split_extension(name)
    ids = provider_ids(stem) or provider_ids(basename(parent(path)))
    work, extra_type = split_extra_suffix(trim(remove_provider_ids(stem)))
    work = _SITE_PREFIX_RE.sub("", work)
    match = _find_year(work)
    leading = _LEADING_YEAR_RE.match(work) if match is None else None
    if leading is not None:
        # "(1995) Ghost in the Shell": the year is written first.
        work, match = work[leading.end() :], leading
        title, part = _title_without_year(work)
        is_3d, layout, version = False, None, None
    elif match is None:
        title, part = _title_without_year(work)
        # 3D markers are read only after the title, so "Step Up 3D" stays a plain title.
        is_3d, layout = _format_3d(work[len(cut_release_tags(work)) :])
        version = None
    else:
        title = clean_name(work[: match.start()])
        # The year's closing bracket is not part of what follows it.
        tail = work[match.end() :].lstrip(")]")
        is_3d, layout = _format_3d(tail)
        version, part = _tail_details(tail)
    return MovieInfo(
        title=title or trim(stem),
        year=None if match is None else int(match.group(1)),
        display_title=humanize(title or trim(stem)),
        extra_type=extra_type,
        part=part,
        is_3d=is_3d,
        format_3d=layout,
        version=version,
        provider_ids=ids,
        container=ext or None,
    )


def clean_title(name: str) -> str | None:
    """Return the title without release tags, or None when there is nothing to drop."""
    stem = split_extension(basename(name))[0]
    cleaned = clean_name(stem)
    if not cleaned or cleaned == trim(stem):
        return None
    return cleaned
