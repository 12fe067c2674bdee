"""Music artists, albums and tracks as content kinds."""

from __future__ import annotations

from revenge.catalog.kinds import ContentKind, ContentModule, lazy
from revenge.catalog.music import kind_repository as q
from revenge.catalog.music import models
from revenge.catalog.music.models import Album, Artist, Track

# Tracks and artists are described through their album (one release answers for every
# track), so they have no writer of their own.
ARTIST = ContentKind(
    name="artist", model=Artist, search=q.ARTIST_SEARCH, rateable=True,
    providers=lazy(".providers:ARTIST", __package__),
)  # fmt: skip
ALBUM = ContentKind(
    name="album", model=Album, reference=q.album_reference, search=q.ALBUM_SEARCH,
    top_level=True, rateable=True, collection="audio", editable=("title", "year", "genres"),
    writer=lazy(".metadata_writer:AlbumWriter", __package__, build=True),
    identify=lazy(".identify:SPEC", __package__),
    providers=lazy(".providers:ALBUM", __package__),
)  # fmt: skip
TRACK = ContentKind(
    name="track", model=Track, reference=q.track_reference, search=q.TRACK_SEARCH,
    playable=True, media="audio", collection="audio",
    providers=lazy(".providers:TRACK", __package__),
)  # fmt: skip
MODULE = ContentModule(
    library_type="music", kinds=(ARTIST, ALBUM, TRACK), prefix="/api/v1/music", tag="music",
    cataloguer=lazy(".cataloguer:MusicCataloguer", __package__, build=True),
    routes=lazy(".routes:router", __package__), models=(models,),
)  # fmt: skip
