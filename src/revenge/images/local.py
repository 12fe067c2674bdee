"""Artwork that sits next to the media (Kodi/Jellyfin names) or inside audio files."""

from __future__ import annotations

import base64
import logging
from pathlib import Path
from typing import Any, BinaryIO

import mutagen
from mutagen.flac import Picture

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
FRONT_COVER = 3  # ID3/FLAC picture type "Cover (front)"
_VIDEO_NAMES: dict[str, tuple[str, ...]] = {
    "poster": ("poster", "folder", "cover", "movie", "default"),
    "backdrop": ("fanart", "backdrop", "background"),
    "logo": ("logo", "clearlogo"),
    "banner": ("banner",),
    "thumb": ("thumb", "landscape"),
}
_AUDIO_NAMES: dict[str, tuple[str, ...]] = {
    "cover": ("cover", "folder", "front", "album", "poster"),
    "backdrop": ("fanart", "backdrop", "background"),
    "logo": ("logo",),
}
AUDIO_KINDS = ("album", "artist", "track", "audiobook")


def find_local_artwork(media: Path, item_kind: str) -> dict[str, Path]:
    """Artwork files for an item, by kind; `<name>-poster.jpg` beats `poster.jpg`."""
    folder = media if media.is_dir() else media.parent
    stem = None if media.is_dir() else media.stem
    try:
        files = {p.name.lower(): p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES}
    except OSError:
        return {}
    names = _AUDIO_NAMES if item_kind in AUDIO_KINDS else _VIDEO_NAMES
    found: dict[str, Path] = {}
    for kind, bases in names.items():
        wanted = [f"{stem}-{b}".lower() for b in bases] if stem else []
        if item_kind != "episode":
            wanted += list(bases)
        for base in wanted:
            hit = next((files[base + s] for s in IMAGE_SUFFIXES if base + s in files), None)
            if hit is not None:
                found[kind] = hit
                break
    return found


def _pick(pictures: list[Any]) -> bytes | None:
    if not pictures:
        return None
    front = [p for p in pictures if getattr(p, "type", None) == FRONT_COVER]
    return bytes((front or pictures)[0].data)


def embedded_cover(path: Path | BinaryIO, max_bytes: int = 20 * 1024 * 1024) -> bytes | None:
    """The front cover stored in an audio file's tags, if any (ID3, FLAC, MP4, Ogg).

    Given an open file (one opened confined to a library), it reads that very file.
    """
    try:
        audio = mutagen.File(path)
    except (mutagen.MutagenError, OSError, ValueError) as exc:
        log.info("no readable tags in %s: %s", path, exc)
        return None
    if audio is None:
        return None
    data: bytes | None = None
    tags = audio.tags
    if hasattr(audio, "pictures") and audio.pictures:
        data = _pick(list(audio.pictures))
    elif tags is not None and hasattr(tags, "getall"):
        data = _pick(tags.getall("APIC"))
    elif tags is not None and "covr" in tags:
        covers = tags["covr"]
        data = bytes(covers[0]) if covers else None
    elif tags is not None and "metadata_block_picture" in tags:
        pictures = [
            Picture(base64.b64decode(v))  # type: ignore[no-untyped-call]
            for v in tags["metadata_block_picture"]
        ]
        data = _pick(pictures)
    if data is not None and len(data) > max_bytes:
        return None
    return data
