"""Music read API: album artists, albums, an album's tracks, one track."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from revenge.api.params import reads_query_as
from revenge.api.written import WrittenJSON
from revenge.catalog.browse_routes import BrowseDep, SortedQuery, listing, sort_field
from revenge.catalog.music import service
from revenge.catalog.music.models import Album
from revenge.catalog.schemas import (
    Credited,
    EditableOut,
    InLibrary,
    Page,
    PlayableFlags,
    PlayedOut,
    fetched,
)

if TYPE_CHECKING:
    from sqlalchemy import Row

router = APIRouter()


class ArtistOut(InLibrary):
    name: str
    musicbrainz_id: str | None


class AlbumOut(InLibrary):
    title: str
    year: int | None
    is_compilation: bool
    album_artist_id: uuid.UUID | None
    album_artist: str | None
    track_count: int | None = None
    musicbrainz_id: str | None
    genres: list[str] = []


class TrackArtistOut(BaseModel):
    id: uuid.UUID
    name: str


class TrackOut(PlayableFlags):
    id: uuid.UUID
    album_id: uuid.UUID
    artist_id: uuid.UUID | None
    artist_name: str | None
    artists: list[TrackArtistOut] = []
    title: str
    disc_number: int
    track_number: int | None
    duration_seconds: float | None


class AlbumDetail(AlbumOut, EditableOut, Credited):
    tracks: list[TrackOut]


class TrackDetail(TrackOut, PlayedOut):
    pass


def _album(album: Album | Row[Any], artist: str | None, count: int | None = None) -> AlbumOut:
    return AlbumOut(
        id=album.id, library_id=album.library_id, title=album.title, year=album.year,
        is_compilation=album.is_compilation, album_artist_id=album.album_artist_id,
        album_artist=artist, track_count=count, musicbrainz_id=album.musicbrainz_id,
        genres=list(album.genres or ()),
    )  # fmt: skip


def _track(found: service.Credited) -> TrackOut:
    t, artists = found
    out = TrackOut.model_validate(t, from_attributes=True)
    out.artists = [TrackArtistOut(id=artist_id, name=name) for artist_id, name in artists]
    return out


class ArtistQuery(SortedQuery):
    SORTS = service.ARTIST_SORTS
    sort: str = sort_field(SORTS, "name")


class AlbumQuery(SortedQuery):
    SORTS = service.ALBUM_SORTS
    sort: str = sort_field(SORTS, "title")
    artist_id: uuid.UUID | None = None


@router.get("/artists", response_model=Page[ArtistOut])
@reads_query_as(ArtistQuery)
async def list_artists(request: Request) -> Response:
    """Album artists by name or added (an artist only on compilations is reached via tracks)."""
    async with listing(request, ArtistQuery, ArtistOut) as (browse, q):
        return WrittenJSON(browse.listed_as(await service.artist_page(browse, q.sort)))


@router.get("/albums")
@reads_query_as(AlbumQuery)
async def list_albums(request: Request) -> Page[AlbumOut]:
    """Albums by title, year or added; `next_cursor` fetches the next page."""
    async with listing(request, AlbumQuery) as (browse, q):
        found = await service.album_page(browse, q.sort, q.artist_id)
        return browse.listed(found, lambda row: _album(row, row.album_artist, row.track_count))


@router.get("/albums/{album_id}")
async def get_album(album_id: uuid.UUID, browse: BrowseDep) -> AlbumDetail:
    """An album with its tracks in disc and track order."""
    album, artist = await browse.one(service.album_with_artist, "album", album_id)
    tracks = [_track(t) for t in await service.credited_tracks(browse.session, album_id)]
    await browse.flag("track", tracks)
    return AlbumDetail(
        **_album(album, artist, len(tracks)).model_dump(),
        **fetched(album),
        tracks=tracks,
        **await browse.about("album", album.id, played=False),
    )


@router.get("/tracks/{track_id}")
async def get_track(track_id: uuid.UUID, browse: BrowseDep) -> TrackDetail:
    track = await browse.item("track", track_id)
    (credited,) = await service.with_artists(browse.session, [track])
    detail = TrackDetail(
        **_track(credited).model_dump(),
        **await browse.about("track", track.id, images=False, people=False),
    )
    await browse.flag("track", [detail])
    return detail
