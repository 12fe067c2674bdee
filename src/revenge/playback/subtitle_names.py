"""Subtitle files beside a video, and what their names say.

`Movie (1999).en.forced.srt`, `Movie (1999).eng.sdh.srt`, `Movie (1999).pt-BR.default.ass`
and `Movie (1999).srt` all belong to `Movie (1999).mkv`: the name starts with the video's
name, then dot-separated words: a language (ISO 639-1/2 or a BCP 47 tag, stored normalised,
so `eng` and `en` are both `en`), `forced` (or `foreign`), `default`, `sdh`/`cc`/`hi`
(hearing impaired; `hi` alone is Hindi) and anything else as the track's title.
Text formats (srt, ass, ssa, vtt) are converted to WebVTT; `.sup` (PGS) and `.idx`+`.sub`
(VobSub) are bitmaps, listed but not convertible; a `.sub` without its `.idx` is MicroDVD
text, listed but not converted either.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import langcodes

TEXT_FORMATS = frozenset({"srt", "ass", "ssa", "vtt"})
_FORMATS = {"srt": "srt", "ass": "ass", "ssa": "ssa", "vtt": "vtt", "sup": "pgs",
            "idx": "vobsub", "sub": "sub"}  # fmt: skip
_FORCED = frozenset({"forced", "foreign"})
_SDH = frozenset({"sdh", "cc", "hi"})
_SEPARATORS = (".", "_", "-", " ")
_PRIMARY = re.compile(r"^[a-z]{2,3}([-_][a-z0-9]{2,8})*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SubtitleFacts:
    """What a subtitle track is, inside the video or beside it: its format, language,
    title and flags."""

    format: str
    language: str | None
    title: str | None
    is_default: bool
    is_forced: bool
    is_sdh: bool


@dataclass(frozen=True, slots=True)
class Sidecar(SubtitleFacts):
    file_name: str

    @property
    def convertible(self) -> bool:
        return self.format in TEXT_FORMATS


def normalise_language(value: str | None) -> str | None:
    """A BCP 47 tag (`eng` -> `en`, `pt_br` -> `pt-BR`); None for `und` or no language."""
    if not value or not _PRIMARY.match(value):
        return None
    try:
        if not langcodes.tag_is_valid(value):
            return None
        tag = str(langcodes.standardize_tag(value))
    except (ValueError, LookupError):
        return None
    return None if tag in ("und", "zxx", "mul", "mis") else tag


def describe(name: str, stem: str) -> Sidecar | None:
    """What the name of a subtitle file of the video named `stem` says; None if not one."""
    base, ext = os.path.splitext(name)
    fmt = _FORMATS.get(ext[1:].lower())
    if fmt is None or not base.startswith(stem):
        return None
    rest = base[len(stem) :]
    if rest and not rest.startswith(_SEPARATORS):
        return None  # `Movie 2.srt` belongs to `Movie 2.mkv`, not to `Movie.mkv`
    words = [w for w in re.split(r"[. _]+", rest.lstrip("-")) if w]
    lowered = [w.lower() for w in words]
    language, others = None, []
    for word, low in zip(words, lowered, strict=True):
        if low in _FORCED or low in _SDH - {"hi"} or low in ("default", "und"):
            continue
        found = None if language or low == "hi" else normalise_language(word)
        if found:
            language = found
        elif low != "hi":
            others.append(word)
    if "hi" in lowered and language is None:
        language = "hi"  # alone, `hi` is Hindi; beside a language, hearing impaired
    sdh = bool(_SDH - {"hi"} & set(lowered)) or ("hi" in lowered and language != "hi")
    return Sidecar(
        fmt, language, " ".join(others) or None, "default" in lowered,
        bool(_FORCED & set(lowered)), sdh, file_name=name,
    )  # fmt: skip


def _owner(name: str, stems: list[str]) -> str | None:
    """The longest video name in the folder this subtitle file's name starts with."""
    for stem in stems:
        if describe(name, stem) is not None:
            return stem
    return None


def discover(video_path: str) -> list[Sidecar]:
    """The subtitle files of a video, by name (the folder is listed, nothing is opened)."""
    folder, video_name = os.path.split(video_path)
    stem = os.path.splitext(video_name)[0]
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    # `Movie 2.en.srt` is the subtitle of `Movie 2.mkv` when both are there, not of `Movie.mkv`.
    stems = sorted(
        {os.path.splitext(n)[0] for n in names if os.path.splitext(n)[1][1:].lower()
         not in _FORMATS and n.startswith(stem)},
        key=len, reverse=True,
    )  # fmt: skip
    found = [
        s for s in (describe(n, stem) for n in names)
        if s is not None and _owner(s.file_name, stems) in (stem, None)
    ]  # fmt: skip
    # VobSub is an .idx with its .sub: one track, listed by its .idx.
    pairs = {os.path.splitext(s.file_name)[0] for s in found if s.format == "vobsub"}
    return [
        s for s in found if not (s.format == "sub" and os.path.splitext(s.file_name)[0] in pairs)
    ]
