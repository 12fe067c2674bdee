"""Subtitle tracks in a playback decision and in the HLS master (WebVTT renditions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from revenge.identity import Principal
from revenge.playback.subtitle_schemas import SubtitleTrackOut
from revenge.playback.subtitles import SubtitleTrack, vtt_path
from revenge.streaming.signing import file_scope, sign_url

if TYPE_CHECKING:
    from revenge.runtime import Runtime


def track_out(
    runtime: Runtime, principal: Principal, track: SubtitleTrack, ttl: int
) -> SubtitleTrackOut:
    """A track with its signed WebVTT URL (none for bitmaps)."""
    url = None
    if track.convertible:
        path = vtt_path(track.media_file_id, track.id)
        url = sign_url(runtime, principal, path, file_scope(track.media_file_id), ttl)
    return SubtitleTrackOut(
        id=track.id, media_file_id=track.media_file_id, source=track.source,
        format=track.format, language=track.language, title=track.title,
        default=track.is_default, forced=track.is_forced, sdh=track.is_sdh,
        convertible=track.convertible, url=url,
    )  # fmt: skip


def choose(
    tracks: list[SubtitleTrackOut], wanted: str | None, audio_language: str | None
) -> SubtitleTrackOut | None:
    """The track asked for; else a forced one (in the audio's language when there is one)."""
    if wanted is not None:
        return next((t for t in tracks if t.id == wanted), None)
    forced = [t for t in tracks if t.forced and t.convertible]
    same = [t for t in forced if audio_language and (t.language or "")[:2] == audio_language[:2]]
    found = same or forced
    return found[0] if found else None


def renditions(tracks: list[SubtitleTrack], url: Callable[[str], str]) -> list[str]:
    """`#EXT-X-MEDIA` lines of the text tracks, group `subs`."""
    lines = []
    for t in tracks:
        if not t.convertible:
            continue
        name = (t.title or t.language or t.id).replace('"', "'")
        language = f',LANGUAGE="{t.language}"' if t.language else ""
        lines.append(
            f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="{name}"{language},'
            f"DEFAULT={'YES' if t.is_default else 'NO'},AUTOSELECT=YES,"
            f'FORCED={"YES" if t.is_forced else "NO"},URI="{url(f"subs/{t.id}.m3u8")}"'
        )
    return lines


def subtitle_playlist(duration: float, vtt_url: str) -> str:
    """A VOD playlist of one WebVTT segment spanning the running time."""
    return (
        "#EXTM3U\n#EXT-X-VERSION:3\n"
        f"#EXT-X-TARGETDURATION:{max(1, int(duration + 0.999))}\n"
        "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
        f"#EXTINF:{duration:.6f},\n{vtt_url}\n#EXT-X-ENDLIST\n"
    )
