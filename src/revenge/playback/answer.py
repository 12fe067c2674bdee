"""The decision's answer for one file: method, reasons, tracks, variants."""

from __future__ import annotations

from typing import TYPE_CHECKING

from revenge.identity import Principal
from revenge.libraries.models import MediaFile
from revenge.playback import tracks
from revenge.playback.decision import Decision, FileFacts, StreamFacts, container_name
from revenge.playback.schemas import (
    FileDecisionOut,
    PlaybackRequest,
    StreamTrackOut,
    VariantOut,
)  # fmt: skip
from revenge.playback.subtitles import SubtitleTrack

if TYPE_CHECKING:
    from revenge.runtime import Runtime


def stream_track(s: StreamFacts) -> StreamTrackOut:
    return StreamTrackOut(
        index=s.index, codec=s.codec, language=s.language, title=s.title, channels=s.channels,
        is_default=s.is_default, is_forced=s.is_forced,
    )  # fmt: skip


def file_out(
    runtime: Runtime, principal: Principal, decided: tuple[MediaFile, FileFacts, Decision],
    subtitle_tracks: list[SubtitleTrack], ttl: int, request: PlaybackRequest,
) -> FileDecisionOut:  # fmt: skip
    row, facts, decision = decided
    subs = [tracks.track_out(runtime, principal, t, ttl) for t in subtitle_tracks]
    audio_language = decision.audio.language if decision.audio else None
    return FileDecisionOut(
        file_id=row.id, version=row.version, method=decision.method,
        reasons=decision.reasons, container=container_name(facts.container, facts.streams),
        duration_seconds=facts.duration,
        video_codec=decision.video.codec if decision.video else None,
        audio=stream_track(decision.audio) if decision.audio else None,
        audio_tracks=[stream_track(s) for s in facts.streams if s.kind == "audio"],
        subtitle=tracks.choose(subs, request.subtitle_track, audio_language),
        subtitle_tracks=subs,
        variants=[
            VariantOut(name=v.name, video=v.video, width=v.width, height=v.height,
                       bitrate=v.video_bitrate)
            for v in decision.variants
        ],
        selected=False,
    )  # fmt: skip
