"""HLS playlists (RFC 8216): a master with the ladder, VOD media playlists of every segment."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from revenge.playback.plan import Plan, Variant

MASTER_TYPE = "application/vnd.apple.mpegurl"
SEGMENT_TYPE = "video/mp2t"


def codecs(variant: Variant, source_video: str | None, source_audio: str | None) -> str:
    """The RFC 6381 codecs attribute (best effort for copied streams)."""
    video = (
        "avc1.640029" if variant.video == "h264" or source_video == "h264" else "hvc1.1.6.L120.90"
    )
    audio = "mp4a.40.2" if variant.audio == "aac" or source_audio == "aac" else "mp4a.40.34"
    return f"{video},{audio}"


def master(plan: Plan, url: Callable[[str], str], subtitles: list[str]) -> str:
    """The ladder, with `subtitles` (#EXT-X-MEDIA lines of group `subs`) as renditions."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS", *subtitles]
    group = ',SUBTITLES="subs"' if subtitles else ""
    for v in plan.variants:
        bandwidth = v.video_bitrate + (v.audio_bitrate if plan.audio_index is not None else 0)
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},RESOLUTION={v.width}x{v.height},"
            f'CODECS="{codecs(v, plan.video_codec, plan.audio_codec)}",NAME="{v.name}"{group}'
        )
        lines.append(url(f"{v.name}/index.m3u8"))
    return "\n".join(lines) + "\n"


def media(plan: Plan, variant: Variant, url: Callable[[str], str]) -> str:
    """Every segment of the whole running time at once: players can seek anywhere."""
    bounds = plan.bounds(variant)
    lengths = [b - a for a, b in itertools.pairwise(bounds)]
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{math.ceil(max(lengths, default=1))}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
    ]
    for n, length in enumerate(lengths):
        lines += [f"#EXTINF:{length:.6f},", url(f"{n}.ts")]
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"
