"""Shared text helpers: path splitting, extensions, release tags, years and provider ids."""

from __future__ import annotations

import datetime
import itertools
import re

# Only known media/sidecar extensions are stripped, so dotted names such as
# "Foo (2019).S04E03" or "Last.Call.WEB-DL.1080p" keep their final token.
MEDIA_EXTENSIONS = frozenset(
    (
        # video
        *("3g2", "3gp", "asf", "avi", "divx", "dvr-ms", "f4v", "flv", "ifo", "img", "iso"),
        *("m2t", "m2ts", "m4v", "mk3d", "mkv", "mov", "mp4", "mpeg", "mpg", "mts", "ogm"),
        *("ogv", "rec", "rm", "rmvb", "strm", "ts", "vob", "webm", "wmv", "wtv", "xvid"),
        # audio
        *("aac", "ac3", "aif", "aiff", "alac", "ape", "dsf", "dff", "flac", "m4a", "m4b"),
        *("mka", "mp2", "mp3", "mpc", "oga", "ogg", "opus", "wav", "wma", "wv"),
        # subtitles and sidecars
        *("ass", "idx", "smi", "srt", "ssa", "sub", "sup", "vtt", "nfo"),
    )
)

# Word separators used in release names; "\u2013"/"\u2014" are the en and em dashes.
SEPARATORS = " \t._-,\u2013\u2014\u3000"
_TRAILING_JUNK = SEPARATORS + "([{"

# A plausible film/episode year: bare years far in the future are more likely to be
# part of a title ("Blade Runner 2049") than a release year.
MIN_YEAR = 1888
MAX_YEAR = datetime.date.today().year + 3

# The century digits come first (the word-start check just after them) so that the
# engine skips ahead to a "1" or "2" instead of trying every position.
YEAR_RE = re.compile(r"((?:18|19|20)(?<![^\W_]..)\d\d)(?![^\W_])")

_LEADING_GROUPS_RE = re.compile(r"^\s*(?:(?:\[[^\]]*\]|\u3010[^\u3011]*\u3011)[\s_.]*)+")

# Release tags that never belong to a title. Words that are common in real titles
# ("Limited", "Internal", "Cam", "Dual") are left out on purpose.
_TAG_WORDS = r"""
    240[pi] | 360[pi] | 480[pi] | 540[pi] | 576[pi] | 720[pi] | 1080[pi] | 1440[pi]
    | 2160[pi] | 4320[pi] | 2k | 4k | 8k | uhd | fuhd | ultra-?hd | fhd
    | hdr(?:10(?:\+|plus)?)? | dovi | hlg | hdc
    | blu-?ray | b[dr]-?rip | bd-?remux | remux | bd(?:25|50) | web-?dl | web-?rip | webdl
    | hdtv(?:rip)? | pdtv | sdtv | dsr(?:ip)? | dvd(?:rip|scr|screener|[59])? | hd-?rip
    | hddvd | hdcam | telesync | telecine | vhsrip | ppvrip | hrhd(?:tv)? | svcd
    | amzn | hulu | dsnp | hmax | atvp
    | x\.?26[45] | h\.?26[45] | hevc | avc | xvid(?:vd)? | divx5? | av1 | vp9 | 10-?bit | nvenc
    | aac(?:[25]\.[01])? | ac-?3 | eac-?3 | ddp?(?:[257]\.[01])? | dts(?:-?(?:hd|ma|x))? | truehd
    | atmos | flac | opus | lpcm
    | remastered | extended | unrated | proper | repack | rerip | retail | read\.nfo | nfofix
    | multi | subs | vostfr | truefrench | ntsc | xxx
    | 3d(?=[\s._-]*(?:h?sbs|h?tab|f(?:sbs|tab)|h?ou|mvc|$)) | sbs | hsbs | fsbs | tab | htab
    | ftab | mvc
    | imax | theatrical | dubbed | v[2-9] | directors?'?s?[\s._-]?cut | extended[\s._-]cut
    | (?:special|ultimate|collectors?'?s?|anniversary)[\s._-]edition
"""

# Language words are title words too ("The Good German"); they are release words only
# when more release words follow ("German.DL", "FRENCH.BluRay", "Ita Ac3").
_LANGUAGES = (  # noqa: SIM905
    "german french italian ita spanish castellano latino english eng dutch flemish swedish"
    " danish norwegian finnish polish russian rus ukr czech hungarian turkish portuguese"
    " japanese korean chinese hindi nordic"
).split()
_LANGUAGE_FOLLOWED = (
    r"(?=[\s._-]+(?:dl|ml|dubbed|subbed|ac3d?|dts|pal|bluray|blu-ray|bd|web|hdtv|dvd\w*"
    r"|\d{3,4}p|x26[45]|h\.?26[45]|aac|mp3))"
)
_LANGUAGE_WORDS = " | ".join(f"{word}{_LANGUAGE_FOLLOWED}" for word in _LANGUAGES)


def _top_level(alternatives: str) -> list[str]:
    """Split a verbose regex alternation at its top-level bars."""
    parts, depth, current, escaped = [], 0, "", False
    for char in alternatives:
        if escaped:
            current, escaped = current + char, False
            continue
        if char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    return [*parts, current.strip()]


def _by_first_letter(alternatives: str) -> str:
    """Regroup alternatives under their first letter: "(?:a(?:vc|ac)|b(?:...)|...)".

    The regex engine tries alternatives one by one at every separator; grouped, a tag
    word is found after a few first-letter checks instead of a hundred branch attempts.
    """
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    for alt in (" ".join(a.split()) for a in _top_level(alternatives)):
        if len(alt) > 1 and alt[0].isalnum() and alt[1] not in "?*+{":
            groups.setdefault(alt[0].lower(), []).append(alt[1:])
        else:
            others.append(alt)
    grouped = [f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items()]
    return "(?:" + "|".join(grouped + others) + ")"


# Tag words, language words and episode ranges ("E01-E16"), grouped by first letter.
_ALL_TAG_WORDS = _by_first_letter(f"{_TAG_WORDS} | {_LANGUAGE_WORDS} | e\\d{{1,4}}[-~]e?\\d{{1,4}}")

# The separator before a tag is consumed (not looked behind at) so that the regex engine
# can skip quickly to separator characters: this halves the time of a search.
_TAG_START = r"[\s_,.()\[\]{}+-]"
_TAG_END = r"(?=[\s_,.()\[\]{}+-]|$)"

# A release tag, a trailing bracket group such as "[720p]" or "[字]", or an episode
# range such as "E01-E16"; everything from the first one on is release noise.
RELEASE_TAG_RE = re.compile(
    rf"(?:{_TAG_START}{_ALL_TAG_WORDS}"
    rf"|\[[^\]]*\]){_TAG_END}",
    re.IGNORECASE | re.VERBOSE,
)

PROVIDER_ID_RE = re.compile(
    r"[\[{(]\s*(tmdb|imdb|tvdb|tvmaze|anidb)(?:id)?\s*[-=:]\s*([a-z0-9]+)\s*[\]})]"
    r"|(?<![^\W_])(tt\d{7,9})(?![^\W_])",
    re.IGNORECASE,
)

_DASH_NUMBER_TAIL_RE = re.compile(r"\s+-\s+\d{1,4}$")


def basename(path: str) -> str:
    """Return the last component of a path written with either slash style."""
    trimmed = path.rstrip("/\\")
    cut = max(trimmed.rfind("/"), trimmed.rfind("\\"))
    return trimmed[cut + 1 :]


def parent(path: str) -> str:
    """Return the path without its last component."""
    trimmed = path.rstrip("/\\")
    cut = max(trimmed.rfind("/"), trimmed.rfind("\\"))
    return trimmed[:cut] if cut > 0 else ""


def split_extension(name: str) -> tuple[str, str]:
    """Split a known media extension (lower-cased, without dot) off a file name."""
    dot = name.rfind(".")
    if dot > 0:
        ext = name[dot + 1 :].lower()
        if ext in MEDIA_EXTENSIONS:
            return name[:dot], ext
    return name, ""


def trim(text: str) -> str:
    """Strip separators and dangling opening brackets from both ends."""
    return text.strip(SEPARATORS).rstrip(_TRAILING_JUNK).strip(SEPARATORS)


def strip_leading_groups(text: str) -> tuple[str, bool]:
    """Drop leading "[Group]" tags unless nothing would remain; report whether any went."""
    match = _LEADING_GROUPS_RE.match(text)
    if match is None or not text[match.end() :].strip():
        return text, False
    return text[match.end() :], True


def cut_release_tags(text: str) -> str:
    """Return the text before the first release tag (never cutting at position 0)."""
    match = RELEASE_TAG_RE.search(text)
    if match is not None and match.start() == 0 and text[0] == "[":
        match = RELEASE_TAG_RE.search(text, 1)
    return text if match is None else text[: match.start()]


def clean_name(text: str) -> str:
    """Drop fansub groups, release tags and an anime-style trailing episode number."""
    body, had_group = strip_leading_groups(text)
    cleaned = trim(cut_release_tags(body))
    if had_group:
        # "[Group] Title - 13 [720p]" is the fansub convention: 13 is the episode.
        tail = _DASH_NUMBER_TAIL_RE.search(cleaned)
        if tail is not None and tail.start() > 0:
            cleaned = cleaned[: tail.start()]
    return cleaned or trim(text)


def is_year(value: int) -> bool:
    """Tell whether a number is a plausible release year."""
    return MIN_YEAR <= value <= MAX_YEAR


def humanize(text: str) -> str:
    """Turn dot/underscore word separators into spaces, keeping acronyms like "S.H.O.W"."""
    pieces = text.replace("_", " ").split(".")
    out = pieces[0]
    for prev, piece in itertools.pairwise(pieces):
        if not piece:
            continue
        # Keep the dot for acronyms ("P.I"), decimals and real punctuation ("Mr. Robot").
        acronym = len(prev.strip()) == 1 and len(piece.strip()) == 1
        decimal = prev[-1:].isdigit() and piece[0].isdigit()
        keep = acronym or decimal or piece[0].isspace()
        out += ("." if keep else " ") + piece
    return " ".join(out.split())


def provider_ids(text: str) -> dict[str, str]:
    """Collect provider ids such as "{tmdb-603}" or "[imdbid-tt0133093]" from a name."""
    found: dict[str, str] = {}
    if not _may_hold_ids(text):
        return found
    for match in PROVIDER_ID_RE.finditer(text):
        if match.group(3):
            found.setdefault("imdb", match.group(3).lower())
        else:
            found.setdefault(match.group(1).lower(), match.group(2))
    return found


def remove_provider_ids(text: str) -> str:
    """Remove provider id tags from a name."""
    return PROVIDER_ID_RE.sub(" ", text) if _may_hold_ids(text) else text


def _may_hold_ids(text: str) -> bool:
    """Cheap test before the provider-id regex: every id names "db", "tt" or "maze"."""
    lowered = text.lower()
    return "db" in lowered or "tt" in lowered or "maze" in lowered
