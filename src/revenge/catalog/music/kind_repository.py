"""SQL the shared features read artists, albums and tracks with: references and search."""

from __future__ import annotations

from typing import Any

from sqlalchemy import null, select

from revenge.catalog.kinds import SearchSource
from revenge.catalog.music.models import Album, Track


def album_reference() -> Any:
    return select(Album.id, Album.library_id, Album.title, null(), Album.year)


def track_reference() -> Any:
    return select(Track.id, Track.library_id, Track.title, Track.artist_name, null())


ARTIST_SEARCH = SearchSource(
    """SELECT id, library_id, name, NULL, sort_name, NULL, NULL, NULL, NULL, NULL
       FROM artists m"""
)
_ALBUM_ARTIST = (
    "artist",
    """SELECT DISTINCT album_artist_id FROM albums WHERE id IN :ids
       AND album_artist_id IS NOT NULL""",
)
ALBUM_SEARCH = SearchSource(
    """SELECT m.id, m.library_id, m.title, NULL, m.sort_title, a.name, NULL, m.year, NULL,
       m.genres FROM albums m LEFT JOIN artists a ON a.id = m.album_artist_id""",
    parents=(_ALBUM_ARTIST,),
)
TRACK_SEARCH = SearchSource(
    """SELECT m.id, m.library_id, m.title, NULL, NULL,
       concat_ws(' ', m.artist_name, al.title), NULL, al.year, NULL, NULL
       FROM tracks m JOIN albums al ON al.id = m.album_id""",
    parents=(
        ("album", "SELECT DISTINCT album_id FROM tracks WHERE id IN :ids"),
        (
            "artist",
            """SELECT artist_id FROM tracks WHERE id IN :ids AND artist_id IS NOT NULL
               UNION SELECT al.album_artist_id FROM tracks t JOIN albums al
               ON al.id = t.album_id WHERE t.id IN :ids
               AND al.album_artist_id IS NOT NULL""",
        ),
    ),
)
