"""Music artists, albums and tracks as content kinds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from revenge.catalog.kinds import ContentKind, ContentModule
from revenge.catalog.music import kind_repository as q
from revenge.catalog.music.models import Album, Artist, Track

if TYPE_CHECKING:
    from fastapi import APIRouter

    from revenge.catalog.identify import IdentifySpec
    from revenge.catalog.metadata_fields import KindMetadata
    from revenge.catalog.types import Cataloguer
    from revenge.metadata.kinds import ProviderKind


def _cataloguer() -> Cataloguer:
    from revenge.catalog.music.cataloguer import MusicCataloguer

    return MusicCataloguer()


def _routes() -> Sequence[APIRouter]:
    from revenge.catalog.music.routes import router

    return (router,)


def _album_writer() -> KindMetadata:
    from revenge.catalog.music.metadata_writer import AlbumWriter

    return AlbumWriter()


def _artist_providers() -> ProviderKind:
    from revenge.catalog.music.providers import ARTIST

    return ARTIST


def _album_providers() -> ProviderKind:
    from revenge.catalog.music.providers import ALBUM

    return ALBUM


def _track_providers() -> ProviderKind:
    from revenge.catalog.music.providers import TRACK

    return TRACK


def _identify() -> IdentifySpec:
    from revenge.catalog.music.identify import SPEC

    return SPEC


# Tracks and artists are described through their album (one release answers for every
# track), so they have no writer of their own.
ARTIST = ContentKind(
    name="artist", model=Artist, search=q.ARTIST_SEARCH, rateable=True,
    providers=_artist_providers,
)  # fmt: skip
ALBUM = ContentKind(
    name="album", model=Album, reference=q.album_reference, search=q.ALBUM_SEARCH,
    top_level=True, rateable=True, collection="audio", editable=("title", "year", "genres"),
    writer=_album_writer, identify=_identify, providers=_album_providers,
)  # fmt: skip
TRACK = ContentKind(
    name="track", model=Track, reference=q.track_reference, search=q.TRACK_SEARCH,
    playable=True, media="audio", collection="audio", providers=_track_providers,
)  # fmt: skip
MODULE = ContentModule(
    library_type="music", kinds=(ARTIST, ALBUM, TRACK), cataloguer=_cataloguer,
    routes=_routes, prefix="/api/v1/music", tag="music", models=("revenge.catalog.music.models",),
)  # fmt: skip
