"""A tiny MKV with text subtitle streams muxed in by PyAV, and subtitle files beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av

SRT = """1
00:00:01,000 --> 00:00:02,500
Hello <i>world</i> & co

2
00:00:02,600 --> 00:00:02,900
Second line
"""
ASS = r"""[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:00.50,0:00:01.75,Default,,0,0,0,,{\i1}Bonjour{\i0}\Nle monde
Dialogue: 0,0:00:02.00,0:00:02.25,Default,,0,0,0,,{\an8\pos(10,10)}Deux <tags>
"""  # noqa: E501 - the ASS format line is one line
VTT = """WEBVTT

00:00:00.250 --> 00:00:01.000 align:start
Guten &amp; Tag
"""


def make_subtitled_video(path: Path, work: Path) -> Path:
    """An H.264 MKV with an English SRT stream and a forced French ASS stream."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "in.srt").write_text(SRT)
    (work / "in.ass").write_text(ASS)
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format="matroska") as out:
        video: Any = out.add_stream("libx264", rate=10)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        sources = []
        for name, language, forced in (("in.srt", "eng", False), ("in.ass", "fre", True)):
            source = av.open(str(work / name))
            stream: Any = out.add_stream_from_template(source.streams[0])
            stream.metadata["language"] = language
            if forced:
                stream.disposition = 0x40  # AV_DISPOSITION_FORCED
            sources.append((source, stream))
        for i in range(30):
            frame = av.VideoFrame(64, 48, "yuv420p")
            frame.pts = i
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        for source, stream in sources:
            with source:
                for packet in source.demux():
                    if packet.size:
                        packet.stream = stream
                        out.mux(packet)
    return path


def cues(vtt: bytes) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue, as FFmpeg's own WebVTT reader sees the document."""
    import io

    found = []
    with av.open(io.BytesIO(vtt), format="webvtt") as container:
        stream = container.streams.subtitles[0]
        for packet in container.demux(stream):
            if not packet.size or packet.pts is None:
                continue
            assert packet.time_base is not None and packet.duration is not None
            start = float(packet.pts * packet.time_base)
            end = start + float(packet.duration * packet.time_base)
            found.append((round(start, 3), round(end, 3), bytes(packet).decode()))
    return found
