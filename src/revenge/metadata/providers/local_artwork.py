"""Local source for artwork files next to the media and covers embedded in audio files."""

from __future__ import annotations

from pathlib import Path

from revenge.images.local import AUDIO_KINDS, embedded_cover, find_local_artwork
from revenge.metadata.providers.base import BlockingLocalSource
from revenge.metadata.types import Artwork, ArtworkKind, ItemKind, ItemMetadata

EMBEDDED_PREFIX = "embedded:"
_AUDIO_SUFFIXES = frozenset({".mp3", ".flac", ".m4a", ".m4b", ".ogg", ".opus"})


class LocalArtworkSource(BlockingLocalSource):
    """`poster.jpg`, `folder.jpg`, `fanart.jpg`, `cover.jpg`...; then embedded cover art."""

    name = "local-artwork"

    def _read(self, kind: ItemKind, path: Path) -> ItemMetadata | None:
        found = find_local_artwork(path, kind)
        art = [Artwork(_kind(k), str(p)) for k, p in found.items()]
        if kind in AUDIO_KINDS and "cover" not in found:
            audio = _first_audio(path)
            if audio is not None and embedded_cover(audio) is not None:
                art.append(Artwork("cover", EMBEDDED_PREFIX + str(audio)))
        return ItemMetadata(kind=kind, artwork=tuple(art)) if art else None


def _kind(name: str) -> ArtworkKind:
    kinds: dict[str, ArtworkKind] = {
        "poster": "poster",
        "backdrop": "backdrop",
        "logo": "logo",
        "banner": "banner",
        "thumb": "thumb",
        "cover": "cover",
    }
    return kinds[name]


def _first_audio(path: Path) -> Path | None:
    if path.is_file():
        return path if path.suffix.lower() in _AUDIO_SUFFIXES else None
    try:
        return next(
            (p for p in sorted(path.iterdir()) if p.suffix.lower() in _AUDIO_SUFFIXES), None
        )
    except OSError:
        return None
