"""What a client can play: capabilities sent by the client, or a named profile."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

MIN_BITRATE, MAX_BITRATE = 64_000, 400_000_000
ProfileName = Literal[
    "browser-chromium", "browser-safari", "browser-firefox", "hls-generic", "direct"
]
ANY = "*"


class VideoCodecSupport(BaseModel):
    """One video codec a client decodes, optionally limited to profiles, a level, a bit depth."""

    codec: str = Field(max_length=32, description="FFmpeg codec name: h264, hevc, vp9, av1, ...")
    profiles: list[str] | None = Field(
        None, max_length=20, description="e.g. ['High', 'Main']; unset: any profile."
    )
    max_level: int | None = Field(None, ge=1, le=255, description="e.g. 41 for H.264 4.1.")
    max_bit_depth: int = Field(8, ge=8, le=16)


class Capabilities(BaseModel):
    """What a player can take as it is; `*` in a list means anything."""

    containers: list[str] = Field(default_factory=list, max_length=30)
    video_codecs: list[VideoCodecSupport] = Field(default_factory=list, max_length=30)
    audio_codecs: list[str] = Field(default_factory=list, max_length=30)
    max_audio_channels: int = Field(8, ge=1, le=32)
    max_width: int | None = Field(None, ge=16, le=16_384)
    max_height: int | None = Field(None, ge=16, le=16_384)
    max_bitrate: int | None = Field(
        None, description="Bits per second the client can take (64 kbit/s to 400 Mbit/s)."
    )
    subtitle_formats: list[str] = Field(default_factory=list, max_length=20)
    hls: bool = Field(False, description="The client plays HLS (natively or through hls.js).")


def _h264(level: int = 52) -> VideoCodecSupport:
    return VideoCodecSupport(
        codec="h264", profiles=["Baseline", "Constrained Baseline", "Main", "High"],
        max_level=level,
    )  # fmt: skip


def _browser(extra_video: list[VideoCodecSupport], audio: list[str]) -> Capabilities:
    return Capabilities(
        containers=["mp4", "webm"],
        video_codecs=[_h264(), *extra_video],
        audio_codecs=audio,
        max_audio_channels=2,
        subtitle_formats=["vtt"],
        hls=True,  # the web app plays HLS through its vendored hls.js
    )


PROFILES: dict[str, Capabilities] = {
    "browser-chromium": _browser(
        [VideoCodecSupport(codec="vp9"), VideoCodecSupport(codec="av1", max_bit_depth=10)],
        ["aac", "mp3", "opus", "flac", "vorbis"],
    ),
    "browser-firefox": _browser(
        [VideoCodecSupport(codec="vp9"), VideoCodecSupport(codec="av1", max_bit_depth=10)],
        ["aac", "mp3", "opus", "flac", "vorbis"],
    ),
    "browser-safari": Capabilities(
        containers=["mp4", "mov"],
        video_codecs=[
            _h264(),
            VideoCodecSupport(codec="hevc", profiles=["Main", "Main 10"], max_bit_depth=10),
        ],
        audio_codecs=["aac", "mp3", "alac", "flac", "ac3", "eac3"],
        max_audio_channels=8,
        subtitle_formats=["vtt"],
        hls=True,
    ),
    "hls-generic": Capabilities(
        containers=[],
        video_codecs=[_h264(41)],
        audio_codecs=["aac"],
        max_audio_channels=2,
        subtitle_formats=["vtt"],
        hls=True,
    ),
    "direct": Capabilities(
        containers=[ANY],
        video_codecs=[VideoCodecSupport(codec=ANY, max_bit_depth=16)],
        audio_codecs=[ANY],
        max_audio_channels=32,
        subtitle_formats=[ANY],
        hls=False,
    ),
}
