"""Audio facts with mutagen: normalised tags, duration, embedded art and chapters.

Tags are flattened into one vocabulary (title, artist, album_artist, album, track, disc,
date, composer, compilation, series, musicbrainz ids...) whatever the container (ID3, MP4
atoms, Vorbis comments), so the content modules never look at format-specific keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import mutagen
from mutagen.id3 import ID3

from revenge.libraries.naming.display import nfc
from revenge.libraries.scanner.walk import extension

# mutagen type name -> extensions that may carry it; anything else is a mislabeled file.
_EXPECTED = {
    "MP3": {"mp3", "mp2"},
    "EasyMP3": {"mp3", "mp2"},
    "MP4": {"m4a", "m4b", "aac", "alac", "mp4"},
    "FLAC": {"flac"},
    "OggVorbis": {"ogg", "oga"},
    "OggOpus": {"opus", "ogg", "oga"},
    "OggFLAC": {"ogg", "oga", "flac"},
    "WAVE": {"wav"},
    "AIFF": {"aiff", "aif"},
    "ASF": {"wma"},
    "MonkeysAudio": {"ape"},
    "WavPack": {"wv"},
    "AAC": {"aac"},
    "DSF": {"dsf"},
}
_ID3_TEXT = {
    "TIT2": "title", "TPE1": "artist", "TPE2": "album_artist", "TALB": "album",
    "TRCK": "track", "TPOS": "disc", "TDRC": "date", "TCON": "genre", "TCOM": "composer",
    "TCMP": "compilation", "TIT3": "subtitle", "MVNM": "series", "MVIN": "series_part",
    "TSOA": "album_sort", "TSOP": "artist_sort",
}  # fmt: skip
_MP4_TEXT = {
    "©nam": "title", "©ART": "artist", "aART": "album_artist", "©alb": "album",
    "©day": "date", "©gen": "genre", "©wrt": "composer", "©mvn": "series", "desc": "comment",
    "©cmt": "comment", "soal": "album_sort", "soar": "artist_sort",
}  # fmt: skip
_VORBIS = {
    "title": "title", "artist": "artist", "albumartist": "album_artist",
    "album artist": "album_artist", "album": "album", "tracknumber": "track",
    "tracktotal": "track_total", "totaltracks": "track_total", "discnumber": "disc",
    "disctotal": "disc_total", "totaldiscs": "disc_total", "date": "date", "year": "date",
    "genre": "genre", "composer": "composer", "compilation": "compilation",
    "series": "series", "series-part": "series_part", "seriespart": "series_part",
    "narrator": "narrator", "asin": "asin", "comment": "comment", "description": "comment",
    "musicbrainz_albumid": "musicbrainz_album_id", "musicbrainz_trackid": "musicbrainz_track_id",
    "musicbrainz_artistid": "musicbrainz_artist_id",
    "musicbrainz_albumartistid": "musicbrainz_album_artist_id",
}  # fmt: skip
_FREEFORM = {
    "musicbrainz album id": "musicbrainz_album_id",
    "musicbrainz track id": "musicbrainz_track_id",
    "musicbrainz artist id": "musicbrainz_artist_id",
    "musicbrainz album artist id": "musicbrainz_album_artist_id",
    "series": "series", "series-part": "series_part", "narrator": "narrator", "asin": "asin",
}  # fmt: skip
_NUMBER_PAIR = re.compile(r"^\s*(\d+)\s*(?:/\s*(\d+))?")


@dataclass
class AudioFacts:
    """What reading one audio file gave: tags and stream facts, or why it failed."""

    tags: dict[str, Any] = field(default_factory=dict)
    duration: float | None = None
    bit_rate: int | None = None
    container: str | None = None
    has_art: bool = False
    chapters: list[tuple[str, float, float | None]] = field(default_factory=list)
    failure: str | None = None


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _set_pair(tags: dict[str, Any], key: str, value: Any) -> None:
    """Split "3/12" (or MP4's (3, 12)) into key and key_total."""
    if isinstance(value, tuple):
        number, total = value[0], value[1] if len(value) > 1 else 0
    else:
        match = _NUMBER_PAIR.match(str(value))
        if match is None:
            return
        number, total = int(match.group(1)), int(match.group(2) or 0)
    if number:
        tags[key] = int(number)
    if total:
        tags[f"{key}_total"] = int(total)


def _id3(audio: Any, facts: AudioFacts) -> None:
    tags: Any = audio.tags
    for frame_id, name in _ID3_TEXT.items():
        frame = tags.get(frame_id)
        if frame is not None and frame.text:
            facts.tags[name] = str(frame.text[0])
            _keep_many(facts.tags, name, frame.text)
    for frame in tags.getall("TXXX"):
        known = _FREEFORM.get(frame.desc.lower())
        if known and frame.text:
            facts.tags[known] = str(frame.text[0])
    for frame in tags.getall("UFID"):
        if frame.owner == "http://musicbrainz.org":
            facts.tags["musicbrainz_track_id"] = frame.data.decode("ascii", "replace")
    facts.has_art = bool(tags.getall("APIC"))
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    for chap in chapters:
        title = chap.sub_frames.get("TIT2")
        name = str(title.text[0]) if title is not None and title.text else chap.element_id
        facts.chapters.append((name, chap.start_time / 1000, chap.end_time / 1000))


def _mp4(audio: Any, facts: AudioFacts) -> None:
    tags = audio.tags
    for atom, name in _MP4_TEXT.items():
        if atom in tags:
            facts.tags[name] = str(_first(tags[atom]))
            _keep_many(facts.tags, name, tags[atom])
    for atom, name in (("trkn", "track"), ("disk", "disc")):
        if tags.get(atom):
            _set_pair(facts.tags, name, tags[atom][0])
    if tags.get("cpil"):
        facts.tags["compilation"] = "1"
    if "©mvi" in tags:
        facts.tags["series_part"] = str(_first(tags["©mvi"]))
    for key, value in tags.items():
        if key.startswith("----:"):
            known = _FREEFORM.get(key.rsplit(":", 1)[-1].lower())
            if known and value:
                facts.tags[known] = bytes(value[0]).decode("utf-8", "replace")
    facts.has_art = bool(tags.get("covr"))


def _mp4_chapters(audio: Any, duration: float | None, facts: AudioFacts) -> None:
    chapters = list(getattr(audio, "chapters", None) or [])
    for i, chap in enumerate(chapters):
        end = chapters[i + 1].start if i + 1 < len(chapters) else duration
        facts.chapters.append((str(chap.title or f"Chapter {i + 1}"), float(chap.start), end))


def _vorbis(audio: Any, facts: AudioFacts) -> None:
    for key, value in audio.tags.items():
        name = _VORBIS.get(key.lower())
        first = _first(value)
        if name and first:
            facts.tags[name] = str(first)
            _keep_many(facts.tags, name, value)
        elif key.lower() == "artists" and value:
            # MusicBrainz Picard's multi-value ARTISTS tag: one value per artist.
            facts.tags["artists"] = [str(v) for v in value]
    names = {key.lower() for key, _ in audio.tags.items()}
    facts.has_art = bool(getattr(audio, "pictures", None)) or "metadata_block_picture" in names


def _keep_many(tags: dict[str, Any], name: str, values: Any) -> None:
    """Keep every value of a multi-value artist tag ("artists"); one value needs no list."""
    if name == "artist" and isinstance(values, list) and len(values) > 1 and "artists" not in tags:
        tags["artists"] = [str(v) for v in values if str(v).strip()]


def _normalise(tags: dict[str, Any]) -> None:
    for key, value in tags.items():
        # Tags written on macOS may hold decomposed accents: compose them (NFC).
        if isinstance(value, str):
            tags[key] = nfc(value)
        elif isinstance(value, list):
            tags[key] = [nfc(v) if isinstance(v, str) else v for v in value]
    for key in ("track", "disc"):
        if isinstance(tags.get(key), str):
            raw = tags.pop(key)
            _set_pair(tags, key, raw)
    for key in ("track_total", "disc_total"):
        if isinstance(tags.get(key), str):
            value = tags.pop(key)
            if value.strip().isdigit():
                tags[key] = int(value)
    if "compilation" in tags:
        tags["compilation"] = str(tags["compilation"]).strip().lower() in {"1", "true", "yes"}
    date = str(tags.get("date", ""))
    if re.match(r"^\d{4}", date):
        tags["year"] = int(date[:4])


def read_audio(path: str, size: int) -> AudioFacts:
    """Read one audio file; any problem becomes `failure` rather than an exception."""
    if size == 0:
        return AudioFacts(failure="empty file")
    try:
        audio = mutagen.File(path)
    except Exception as exc:
        return AudioFacts(failure=f"unreadable audio: {exc}")
    if audio is None:
        return AudioFacts(failure="not a recognised audio file")
    kind = type(audio).__name__
    ext = extension(path)
    if ext not in _EXPECTED.get(kind, {ext}):
        return AudioFacts(failure=f"mislabeled: content is {kind}, not .{ext}")
    facts = AudioFacts(container=kind.lower())
    info = audio.info
    facts.duration = float(info.length) if getattr(info, "length", None) else None
    facts.bit_rate = int(info.bitrate) if getattr(info, "bitrate", None) else None
    try:
        if audio.tags is not None:
            _read_tags(audio, facts)
        if kind == "MP4":
            _mp4_chapters(audio, facts.duration, facts)
        _normalise(facts.tags)
    except Exception as exc:  # a malformed tag must not stop the scan
        facts.failure = f"unreadable tags: {exc}"
    if not facts.duration:
        facts.failure = "no audio stream found"
    return facts


def _read_tags(audio: Any, facts: AudioFacts) -> None:
    if isinstance(audio.tags, ID3):
        _id3(audio, facts)
    elif type(audio).__name__ == "MP4":
        _mp4(audio, facts)
    elif hasattr(audio.tags, "keys"):
        _vorbis(audio, facts)
