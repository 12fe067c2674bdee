"""The subtitle converter's child process: one track to WebVTT.

`python -m revenge.playback.subtitle_convert` reads one JSON job on stdin naming a file
descriptor it inherited (opened by the server inside the library's roots; this process
never opens a path) and writes the WebVTT document to stdout. A file that is not subtitles
exits with status 2 and the reason on stderr. Parsing runs here, not in the server, so a
hostile or huge file can only cost this process, which the server kills after a deadline.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

MAX_FILE_BYTES = 20 * 1024 * 1024  # far above any real subtitle file
_ASS_FIELDS_BEFORE_TEXT = 8  # ReadOrder, Layer, Style, Name, MarginL, MarginR, MarginV, Effect


def _external(fd: int, fmt: str) -> str:
    from revenge.playback.webvtt import decode_text, parse, to_vtt

    with os.fdopen(fd, "rb") as source:
        data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError("the subtitle file is too large")
    events = parse(decode_text(data), fmt)
    if not events and data.strip():
        raise ValueError(f"no {fmt} cues found")
    return to_vtt(events)


def _rect_text(rect: Any) -> str:
    if getattr(rect, "type", b"") == b"ass":
        fields = bytes(rect.ass).decode("utf-8", "replace").split(",", _ASS_FIELDS_BEFORE_TEXT)
        return fields[-1]
    return bytes(getattr(rect, "text", b"")).decode("utf-8", "replace")


def _embedded(fd: int, index: int) -> str:
    import av
    import pysubs2

    from revenge.playback.webvtt import to_vtt

    events: list[pysubs2.SSAEvent] = []
    with os.fdopen(fd, "rb") as source, av.open(source, "r") as container:
        stream: Any = container.streams[index]
        if stream.type != "subtitle":
            raise ValueError(f"stream {index} is not a subtitle stream")
        for packet in container.demux(stream):
            if packet.pts is None or not packet.size or packet.time_base is None:
                continue
            found = stream.codec_context.decode2(packet)
            if found is None:
                continue
            start = float(packet.pts * packet.time_base) * 1000 + found.start_display_time
            if packet.duration:
                end = start + float(packet.duration * packet.time_base) * 1000
            else:
                end = start + (found.end_display_time - found.start_display_time)
            text = "\\N".join(_rect_text(r) for r in found.rects)
            events.append(pysubs2.SSAEvent(start=round(start), end=round(end), text=text))
    return to_vtt(events)


def convert(job: dict[str, Any]) -> str:
    if job["kind"] == "embedded":
        return _embedded(int(job["fd"]), int(job["index"]))
    return _external(int(job["fd"]), str(job["format"]))


def main() -> None:
    job = json.loads(sys.stdin.readline())
    try:
        vtt = convert(job)
    except Exception as exc:  # whatever the file does, the server gets one line of reason
        sys.stderr.write(f"{type(exc).__name__}: {exc}"[:500] + "\n")
        sys.exit(2)
    sys.stdout.buffer.write(vtt.encode("utf-8"))


if __name__ == "__main__":
    main()
