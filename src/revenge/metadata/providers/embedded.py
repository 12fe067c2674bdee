"""Tags embedded in audio files (ID3, Vorbis comments, MP4 atoms), read with mutagen.

For audiobooks the common tagging convention is followed: album = book title, artist or
album artist = author, composer = narrator.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import mutagen

from revenge.metadata.providers.base import BlockingLocalSource
from revenge.metadata.types import ExternalIds, ItemKind, ItemMetadata, Person

log = logging.getLogger(__name__)

AUDIO_KINDS = ("track", "album", "audiobook")


def _first(tags: Any, key: str) -> str | None:
    values = tags.get(key) if tags is not None else None
    if not values:
        return None
    value = str(values[0]).strip()
    return value or None


def _number(value: str | None) -> int | None:
    """`3` or `3/12` -> 3."""
    head = (value or "").split("/")[0].strip()
    return int(head) if head.isdigit() else None


def _year(value: str | None) -> int | None:
    head = (value or "")[:4]
    return int(head) if head.isdigit() else None


def read_tags(path: Path) -> dict[str, str]:
    """The first value of each easy tag, e.g. {'title': ..., 'musicbrainz_albumid': ...}."""
    try:
        audio = mutagen.File(path, easy=True)
    except (mutagen.MutagenError, OSError, ValueError) as exc:
        log.info("unreadable tags in %s: %s", path, exc)
        return {}
    if audio is None or audio.tags is None:
        return {}
    # Vorbis comments iterate as (key, value) pairs; keys() is the same for every format.
    keys = list(audio.tags.keys())
    found = {key: value for key in keys if (value := _first(audio.tags, key))}
    if "composer" not in found and path.suffix.lower() in (".m4a", ".m4b"):
        composer = _mp4_composer(path)
        if composer:
            found["composer"] = composer
    return found


def _mp4_composer(path: Path) -> str | None:
    """Easy MP4 has no composer key; audiobooks keep their narrators in the ©wrt atom."""
    try:
        raw = mutagen.File(path)
    except (mutagen.MutagenError, OSError, ValueError):
        return None
    return _first(raw.tags if raw is not None else None, "\xa9wrt")


def tags_to_metadata(tags: dict[str, str], kind: ItemKind) -> ItemMetadata | None:
    """Map easy tags to metadata for a track, an album or an audiobook."""
    if not tags or kind not in AUDIO_KINDS:
        return None
    artist = tags.get("artist")
    album_artist = tags.get("albumartist") or artist
    date = tags.get("date") or tags.get("originaldate")
    genres = tuple(g.strip() for g in tags.get("genre", "").split(";") if g.strip())
    if kind == "track":
        return ItemMetadata(
            kind=kind,
            title=tags.get("title"),
            year=_year(date),
            genres=genres,
            artist=artist,
            album=tags.get("album"),
            season=_number(tags.get("discnumber")),
            episode=_number(tags.get("tracknumber")),
            ids=ExternalIds(musicbrainz=tags.get("musicbrainz_trackid")),
        )
    people: list[Person] = []
    if kind == "audiobook":
        if album_artist:
            people.append(Person(name=album_artist, role="author"))
        # Several narrators share one tag, "A, B" or "A; B", as the scanner reads them.
        for name in re.split(r"[,;]", tags.get("composer", "")):
            if name.strip():
                people.append(Person(name=name.strip(), role="narrator"))
    return ItemMetadata(
        kind=kind,
        title=tags.get("album") or (tags.get("title") if kind == "audiobook" else None),
        year=_year(date),
        release_date=date,
        genres=genres,
        artist=album_artist,
        people=tuple(people),
        ids=ExternalIds(musicbrainz=tags.get("musicbrainz_albumid")),
    )


class EmbeddedTagsSource(BlockingLocalSource):
    """Local source for audio: the tags of the file (or of the first audio file of a folder)."""

    name = "embedded"
    suffixes = frozenset({".mp3", ".flac", ".m4a", ".m4b", ".ogg", ".opus", ".aac", ".wma"})

    async def read(self, kind: ItemKind, path: Path) -> ItemMetadata | None:
        if kind not in AUDIO_KINDS:
            return None
        return await super().read(kind, path)

    def _read(self, kind: ItemKind, path: Path) -> ItemMetadata | None:
        target = path
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in self.suffixes)
            if not files:
                return None
            target = files[0]
        return tags_to_metadata(read_tags(target), kind)
