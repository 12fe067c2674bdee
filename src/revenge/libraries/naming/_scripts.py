"""Two-language release titles: pick the Latin title beside a Chinese or Japanese one.

Fansub and Chinese release names carry the native title next to the romanised or English
one ("魔王學院的不適任者 / Anime Title", "[天使降臨到我身邊_Anime Title]"). A library is
matched against metadata providers by its Latin title, so that one is kept when present;
names written only in one script keep it whole. Hangul is left alone on purpose: Korean
titles mix it with Latin words as one title ("나는 SOLO").
"""

from __future__ import annotations

import re

# Han ideographs, kana, CJK punctuation and full-width forms.
_CJK = r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2605\u2606"
_CJK_RE = re.compile(f"[{_CJK}]")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Between the two titles: a slash, a bar, a middle dot or (next to CJK) an underscore.
_SEGMENT_SPLIT_RE = re.compile(r"\s*[/|\u00b7\uff0f]\s*|(?<=[" + _CJK + r"])_|_(?=[" + _CJK + "])")
_CJK_WORD_RE = re.compile(rf"(?:^|(?<=[\s._]))[{_CJK}\d]*[{_CJK}][{_CJK}\d]*(?=$|[\s._])")
_SEPARATORS = " \t._-~\u3000"


def has_cjk(text: str) -> bool:
    """Tell whether text holds Chinese or Japanese characters."""
    return not text.isascii() and _CJK_RE.search(text) is not None


def _latin_count(text: str) -> int:
    return len(_LATIN_RE.findall(text))


def _without_cjk_words(segment: str) -> str:
    """Drop whole words written in CJK from a segment that also has Latin words."""
    if not _latin_count(segment):
        return segment.strip(_SEPARATORS)
    return " ".join(_CJK_WORD_RE.sub(" ", segment).split()).strip(_SEPARATORS)


def pick_latin_title(candidates: list[str]) -> str:
    """Choose the title among the segments: the first wholly Latin one, else the most Latin."""
    segments = [
        piece.strip(_SEPARATORS)
        for candidate in candidates
        for piece in _SEGMENT_SPLIT_RE.split(candidate)
        if piece.strip(_SEPARATORS)
    ]
    if not segments:
        return ""
    counted = [(segment, _latin_count(segment)) for segment in segments]
    for segment, latin in counted:
        if latin > 1 and not has_cjk(segment):
            return segment
    best, latin = max(counted, key=lambda pair: pair[1])
    return _without_cjk_words(best) if latin else segments[0]


def latin_title(text: str) -> str:
    """Reduce a two-language series text to its Latin title (unchanged without CJK)."""
    if not has_cjk(text):
        return text
    return pick_latin_title([text])
