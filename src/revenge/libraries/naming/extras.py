"""Extras (trailers, featurettes, ...) and multi-disc album folder detection."""

from __future__ import annotations

import re

from revenge.libraries.naming._text import basename

# Folder names (lower-cased, separators and a plural "s" removed) that hold extras.
_FOLDER_TYPES: dict[str, str] = {
    "trailer": "Trailer",
    "featurette": "Featurette",
    "behindthescene": "BehindTheScenes",
    "deletedscene": "DeletedScene",
    "interview": "Interview",
    "scene": "Scene",
    "sample": "Sample",
    "short": "Short",
    "clip": "Clip",
    "thememusic": "ThemeSong",
    "themesong": "ThemeSong",
    "backdrop": "ThemeVideo",
    "themevideo": "ThemeVideo",
    "extra": "Unknown",
    "other": "Unknown",
}

# File-name suffixes; the lookup key is the lower-cased suffix word.
_SUFFIX_TYPES: dict[str, str] = {
    "trailer": "Trailer",
    "sample": "Sample",
    "scene": "Scene",
    "clip": "Clip",
    "interview": "Interview",
    "behindthescenes": "BehindTheScenes",
    "deleted": "DeletedScene",
    "deletedscene": "DeletedScene",
    "featurette": "Featurette",
    "short": "Short",
    "other": "Unknown",
    "extra": "Unknown",
}

_FOLDER_NOISE_RE = re.compile(r"[\s._-]+")

# "-trailer", "_featurette2"; a dot only for trailer/sample, because dotted release
# names end in ordinary words ("The.Big.Short") far more often than in extras.
_SUFFIX_RE = re.compile(
    r"(?:[-_]\s*(trailer|sample|scene|clip|interview|behindthescenes|deleted(?:scene)?"
    r"|featurette|short|other|extra)|\.(trailer|sample))s?[\s._-]*\d{0,2}$",
    re.IGNORECASE,
)

# Files named only "trailer.mkv", "sample.mkv" or "theme.mp3".
_WHOLE_NAME_RE = re.compile(r"^(trailer|sample|theme)s?[\s._-]*\d{0,2}$", re.IGNORECASE)
_WHOLE_NAME_TYPES = {"trailer": "Trailer", "sample": "Sample", "theme": "ThemeSong"}

# "cd1", "Disc 01 (Title)", "disc- 1", "vol7": a keyword immediately followed by a number.
_DISC_FOLDER_RE = re.compile(
    r"^(?:cd|dis[ck]|vol(?:ume)?|part|pt)[\s._-]*\d{1,3}(?:\s*[-:(\[].*)?\s*$",
    re.IGNORECASE,
)


def extra_folder_type(folder: str) -> str | None:
    """Return the extra type held by a folder such as "trailers", or None."""
    key = _FOLDER_NOISE_RE.sub("", basename(folder)).lower()
    if key.endswith("s") and key[:-1] in _FOLDER_TYPES:
        key = key[:-1]
    return _FOLDER_TYPES.get(key)


def split_extra_suffix(stem: str) -> tuple[str, str | None]:
    """Split an extra suffix ("Movie-trailer") off a file stem; return (rest, type)."""
    whole = _WHOLE_NAME_RE.match(stem)
    if whole is not None:
        return "", _WHOLE_NAME_TYPES[whole.group(1).lower()]
    match = _SUFFIX_RE.search(stem)
    if match is None or match.start() == 0:
        return stem, None
    word = (match.group(1) or match.group(2)).lower()
    return stem[: match.start()], _SUFFIX_TYPES[word]


def is_multi_disc_folder(folder: str) -> bool:
    """Tell whether a music folder is one disc of a multi-disc album ("cd1", "Disc 2")."""
    return _DISC_FOLDER_RE.match(basename(folder).strip()) is not None
