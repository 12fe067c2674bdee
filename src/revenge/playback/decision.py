"""The playback decision for one file: direct play, remux or transcode, and why.

Pure logic over probed facts (no I/O): the service feeds it the file's row and streams.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from revenge.playback.plan import Variant
from revenge.playback.profiles import ANY, Capabilities, VideoCodecSupport

# Transcode ladder: (height, video bit rate). The original joins on top when it may be copied.
LADDER = ((1080, 8_000_000), (720, 4_000_000), (480, 1_500_000))
AUDIO_HLS_COPY = frozenset({"aac", "mp3"})
_CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4", "matroska,webm": "mkv", "mpegts": "ts"}


@dataclass(frozen=True, slots=True)
class StreamFacts:
    index: int
    kind: str
    codec: str | None
    language: str | None = None
    title: str | None = None
    profile: str | None = None
    level: int | None = None
    bit_depth: int | None = None
    bit_rate: int | None = None
    width: int | None = None
    height: int | None = None
    channels: int | None = None
    is_default: bool = False
    is_forced: bool = False


@dataclass(frozen=True, slots=True)
class FileFacts:
    container: str | None
    duration: float | None
    bit_rate: int | None
    streams: list[StreamFacts]


@dataclass(slots=True)
class Decision:
    method: str  # direct | remux | transcode | none
    reasons: list[str] = field(default_factory=list)
    video: StreamFacts | None = None
    audio: StreamFacts | None = None
    variants: list[Variant] = field(default_factory=list)
    # Audio files only: converted on the fly to this format, at most this many kbit/s.
    convert_to: str | None = None
    max_kbps: int | None = None


def container_name(probed: str | None, streams: list[StreamFacts]) -> str:
    """mp4 / mkv / webm / ts / ... from FFmpeg's demuxer name."""
    name = _CONTAINERS.get(probed or "", (probed or "unknown").split(",")[0])
    codecs = {s.codec for s in streams if s.kind in ("video", "audio")}
    if name == "mkv" and codecs <= {"vp8", "vp9", "av1", "opus", "vorbis"}:
        return "webm"
    return name


def _listed(value: str | None, allowed: list[str]) -> bool:
    return ANY in allowed or (value or "").lower() in {a.lower() for a in allowed}


def _video_support(video: StreamFacts, caps: Capabilities) -> VideoCodecSupport | None:
    for support in caps.video_codecs:
        if support.codec == ANY or support.codec.lower() == (video.codec or "").lower():
            return support
    return None


def video_problems(video: StreamFacts, caps: Capabilities) -> list[str]:
    """Why the client cannot take this video stream as it is (codec, profile, level, depth)."""
    support = _video_support(video, caps)
    if support is None:
        return [f"video codec {video.codec} not supported"]
    problems = []
    if support.profiles is not None and video.profile not in support.profiles:
        problems.append(f"video profile {video.profile} not supported")
    if support.max_level is not None and (video.level or 0) > support.max_level:
        problems.append(f"video level {video.level} > max {support.max_level}")
    if (video.bit_depth or 8) > support.max_bit_depth:
        problems.append(f"bit depth {video.bit_depth} > max {support.max_bit_depth}")
    return problems


def size_problems(video: StreamFacts, file_rate: int | None, caps: Capabilities) -> list[str]:
    problems = []
    if caps.max_height and (video.height or 0) > caps.max_height:
        problems.append(f"resolution {video.width}x{video.height} > max height {caps.max_height}")
    if caps.max_width and (video.width or 0) > caps.max_width:
        problems.append(f"resolution {video.width}x{video.height} > max width {caps.max_width}")
    if caps.max_bitrate and (file_rate or 0) > caps.max_bitrate:
        problems.append(f"bitrate {_mbit(file_rate or 0)} Mbit/s > max {_mbit(caps.max_bitrate)}")
    return problems


def _mbit(rate: int) -> str:
    """40 / 8 / 0.17: two significant digits, no trailing zeros."""
    return f"{rate / 1e6:.2g}"


def audio_problems(audio: StreamFacts | None, caps: Capabilities) -> list[str]:
    if audio is None:
        return []
    if not _listed(audio.codec, caps.audio_codecs):
        return [f"audio codec {audio.codec} not supported"]
    if (audio.channels or 2) > caps.max_audio_channels:
        return [f"audio channels {audio.channels} > max {caps.max_audio_channels}"]
    return []


def pick_audio(streams: list[StreamFacts], wanted: int | None) -> StreamFacts | None:
    """The requested audio stream, else the default one, else the first."""
    audio = [s for s in streams if s.kind == "audio"]
    chosen = next((s for s in audio if s.index == wanted), None)
    return chosen or next((s for s in audio if s.is_default), audio[0] if audio else None)


def ladder(video: StreamFacts, caps: Capabilities, copy_audio: bool) -> list[Variant]:
    """Transcoded rungs no larger than the source and the client's limits."""
    src_w, src_h = video.width or 1920, video.height or 1080
    limit_h = min(src_h, caps.max_height or src_h)
    if caps.max_width:
        limit_h = min(limit_h, caps.max_width * src_h // src_w)
    rungs = [(h, rate) for h, rate in LADDER if h <= limit_h] or [(limit_h, 1_000_000)]
    audio = "copy" if copy_audio else "aac"
    variants = []
    for height, rate in rungs:
        height -= height % 2
        width = round(src_w * height / src_h / 2) * 2
        rate = min(rate, caps.max_bitrate or rate)
        variants.append(Variant(f"{height}p", "h264", width, height, rate, audio))
    return variants


def decide(
    facts: FileFacts, caps: Capabilities, *, audio_index: int | None, can_transcode: bool
) -> Decision:
    """Direct when everything fits; else remux when the video fits; else transcode."""
    video = next((s for s in facts.streams if s.kind == "video"), None)
    audio = pick_audio(facts.streams, audio_index)
    if video is None:
        return Decision("none", ["no video stream"], None, audio)
    container = container_name(facts.container, facts.streams)
    vprob = video_problems(video, caps)
    sprob = size_problems(video, facts.bit_rate, caps)
    aprob = audio_problems(audio, caps)
    cprob = [] if _listed(container, caps.containers) else [f"container {container} not supported"]
    if not (cprob or vprob or sprob or aprob):
        return Decision("direct", [], video, audio)
    reasons = cprob + vprob + sprob + aprob
    if not caps.hls:
        return Decision("none", [*reasons, "the client does not play HLS"], video, audio)
    if not can_transcode:
        return Decision("none", [*reasons, "transcoding is turned off"], video, audio)
    copy_audio = not aprob and audio is not None and audio.codec in AUDIO_HLS_COPY
    rungs = ladder(video, caps, copy_audio)
    if not (vprob or sprob):
        original = Variant(
            "original", "copy", video.width or 0, video.height or 0,
            facts.bit_rate or 8_000_000, "copy" if copy_audio else "aac",
        )  # fmt: skip
        below = [v for v in rungs if v.height < (video.height or 0)]
        return Decision("remux", reasons, video, audio, [original, *below])
    return Decision("transcode", reasons, video, audio, rungs)


# Audio files: mutagen's container name -> (codec, container as clients name it).
_AUDIO = {
    "mp3": ("mp3", "mp3"), "flac": ("flac", "flac"), "mp4": ("aac", "mp4"),
    "oggvorbis": ("vorbis", "ogg"), "oggopus": ("opus", "ogg"), "wave": ("pcm", "wav"),
}  # fmt: skip
CONVERT_TO = ("opus", "aac", "mp3")  # preferred first, when the client takes it


def decide_audio(facts: FileFacts, caps: Capabilities) -> Decision:
    """A music track, audiobook or podcast episode: as it is, or converted (no HLS)."""
    stream = next((s for s in facts.streams if s.kind == "audio"), None)
    codec = stream.codec if stream else _AUDIO.get(facts.container or "", (facts.container, ""))[0]
    stream = stream or StreamFacts(0, "audio", codec)
    reasons = []
    if not _listed(codec, caps.audio_codecs):
        reasons.append(f"audio codec {codec} not supported")
    if caps.max_bitrate and (facts.bit_rate or 0) > caps.max_bitrate:
        reasons.append(
            f"bitrate {_mbit(facts.bit_rate or 0)} Mbit/s > max {_mbit(caps.max_bitrate)}"
        )
    if not reasons:
        return Decision("direct", [], None, stream)
    target = next((f for f in CONVERT_TO if _listed(f, caps.audio_codecs)), None)
    if target is None:
        return Decision(
            "none", [*reasons, "no format the client takes to convert to"], None, stream
        )
    kbps = min(320, caps.max_bitrate // 1000) if caps.max_bitrate else None
    return Decision("transcode", reasons, None, stream, convert_to=target, max_kbps=kbps)
