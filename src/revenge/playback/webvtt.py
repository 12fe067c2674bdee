"""Subtitle text to WebVTT: SRT, ASS/SSA and VTT files, and text streams inside videos.

Files are parsed with pysubs2, which turns every format's markup into ASS override tags;
the cues are then written here rather than with pysubs2's own WebVTT writer, because that
one leaves `&`, `<` and `>` of the text unescaped (so "Tom & Jerry" or "<3" would make an
invalid file, or markup). Only italic, bold and underline survive as `<i>`, `<b>`, `<u>`, and
text placed at the top (`{\\an8}`) stays at the top; other positioning, colours, fonts and
drawings are dropped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pysubs2

_BLOCK = re.compile(r"(\{[^}]*\})")
_STYLE_TAG = re.compile(r"\\([ibu])(\d*)(?![a-z])")
_DRAWING = re.compile(r"\\p(\d+)")
_ALIGNMENT = re.compile(r"\{[^}]*\\an(\d)")
_TAGS = ("i", "b", "u")


def decode_text(data: bytes) -> str:
    """Subtitle bytes as text: a BOM wins, then UTF-8, then Windows-1252 (old SRT files)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):  # fmt: skip
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse(text: str, fmt: str) -> list[pysubs2.SSAEvent]:
    """The cues of a subtitle file in `fmt` (srt, ass, ssa, vtt); guesses when that fails."""
    try:
        subs = pysubs2.SSAFile.from_string(text, format_=fmt)
    except Exception:
        subs = pysubs2.SSAFile.from_string(text)  # named .srt, written as something else
    if fmt == "vtt":
        # WebVTT text keeps its character references: undo them before escaping again.
        for event in subs.events:
            event.text = html.unescape(event.text)
    return list(subs.events)


def _timestamp(ms: int) -> str:
    ms = max(0, ms)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    seconds, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", "\u00a0")


def _restyle(wanted: set[str], current: list[str]) -> str:
    """Tags that move from the open `current` ones to `wanted`, always well nested."""
    if set(current) == wanted:
        return ""
    closing = "".join(f"</{t}>" for t in reversed(current))
    current[:] = [t for t in _TAGS if t in wanted]
    return closing + "".join(f"<{t}>" for t in current)


def cue_text(ass_text: str) -> str:
    """ASS-marked text as WebVTT cue text."""
    out: list[str] = []
    wanted: set[str] = set()
    current: list[str] = []
    drawing = False
    for part in _BLOCK.split(ass_text):
        if part.startswith("{") and part.endswith("}"):
            for tag, value in _STYLE_TAG.findall(part):
                # `\i`, `\i1`, `\b700` switch on; `\i0`, `\b0`, `\b400` (normal weight) off.
                on = value == "" or (value != "0" and not (tag == "b" and value == "400"))
                (wanted.add if on else wanted.discard)(tag)
            if found := _DRAWING.findall(part):
                drawing = found[-1] != "0"
        elif part and not drawing:
            out.append(_restyle(wanted, current) + _escape(part))
    out.append(_restyle(set(), current))
    lines = (line.strip() for line in "".join(out).split("\n"))
    # A blank line would end the cue early: keep only lines with something on them.
    return "\n".join(line for line in lines if line and line not in ("<i></i>", "<b></b>"))


def _placement(ass_text: str) -> str:
    """Cue settings for text the subtitle puts at the top (`{\\an7}`-`{\\an9}`, `{\\an8}` for
    signs and for lines that must not cover the ones at the bottom)."""
    found = _ALIGNMENT.findall(ass_text)
    return " line:0" if found and found[-1] in "789" else ""


def to_vtt(events: Iterable[pysubs2.SSAEvent]) -> str:
    """A WebVTT document of the cues, in time order; empty and zero-length ones left out."""
    out = ["WEBVTT", ""]
    for event in sorted(events, key=lambda e: (e.start, e.end)):
        if event.is_comment or event.end <= event.start:
            continue
        text = cue_text(event.text)
        if text:
            timing = f"{_timestamp(event.start)} --> {_timestamp(event.end)}"
            out += [timing + _placement(event.text), text, ""]
    return "\n".join(out) + "\n"
