"""Music artists, albums and tracks as content kinds."""

from __future__ import annotations

from revenge.catalog.kinds import ContentKind, content_module, declared
from revenge.catalog.music import kind_repository as q
from revenge.catalog.music.models import Album, Artist, Track

# Tracks and artists are described through their album (one release answers for every
# track), so they have no writer of their own.
ARTIST = ContentKind(
    name="artist", model=Artist, search=q.ARTIST_SEARCH, rateable=True,
    **declared(__package__, providers="ARTIST"),
)  # fmt: skip
ALBUM = ContentKind(
    name="album", model=Album, reference=q.album_reference, search=q.ALBUM_SEARCH,
    top_level=True, rateable=True, collection="audio", editable=("title", "year", "genres"),
    **declared(__package__, writer="AlbumWriter", identify=True, providers="ALBUM"),
)  # fmt: skip
TRACK = ContentKind(
    name="track", model=Track, reference=q.track_reference, search=q.TRACK_SEARCH,
    playable=True, media="audio", collection="audio",
    **declared(__package__, providers="TRACK"),
)  # fmt: skip
MODULE = content_module(
    __package__, "music", (ARTIST, ALBUM, TRACK), tag="music", cataloguer="MusicCataloguer"
)
