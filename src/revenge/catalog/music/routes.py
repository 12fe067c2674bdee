"""Music read API: album artists, albums, an album's tracks, one track."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from revenge.catalog.browse_routes import BrowseDep
from revenge.catalog.keyset import check_keys
from revenge.catalog.music import repository as repo
from revenge.catalog.music.models import Album, Track
from revenge.catalog.schemas import FileOut, Page, PersonOut, PlayableFlags, UserStateOut
from revenge.images.schemas import ItemImageOut

router = APIRouter()


class ArtistOut(BaseModel):
    id: uuid.UUID
    library_id: uuid.UUID
    name: str
    musicbrainz_id: str | None


class AlbumOut(BaseModel):
    id: uuid.UUID
    library_id: uuid.UUID
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


class AlbumDetail(AlbumOut):
    locked_fields: list[str]
    metadata_status: str | None
    metadata_reason: str | None = None
    images: list[ItemImageOut]
    people: list[PersonOut]
    tracks: list[TrackOut]


class TrackDetail(TrackOut):
    files: list[FileOut]
    user_state: UserStateOut


def _album(album: Album, artist: str | None, count: int | None = None) -> AlbumOut:
    return AlbumOut(
        id=album.id, library_id=album.library_id, title=album.title, year=album.year,
        is_compilation=album.is_compilation, album_artist_id=album.album_artist_id,
        album_artist=artist, track_count=count, musicbrainz_id=album.musicbrainz_id,
        genres=list(album.genres or ()),
    )  # fmt: skip


def _track(t: Track, artists: list[tuple[uuid.UUID, str]]) -> TrackOut:
    out = TrackOut.model_validate(t, from_attributes=True)
    out.artists = [TrackArtistOut(id=artist_id, name=name) for artist_id, name in artists]
    return out


ARTIST_FILTERS: tuple[str, ...] = ()
ALBUM_FILTERS = ("artist_id",)


@router.get("/artists")
async def list_artists(
    request: Request,
    browse: BrowseDep,
    sort: Annotated[str, Query(json_schema_extra={"enum": list(repo.ARTIST_SORTS)})] = "name",
) -> Page[ArtistOut]:
    """Album artists by name or added (an artist only on compilations is reached via tracks)."""
    check_keys(request, sort, repo.ARTIST_SORTS, ARTIST_FILTERS)
    found, total, following = await repo.list_artists(browse.session, browse, sort)
    items = [ArtistOut.model_validate(a, from_attributes=True) for a in found]
    return browse.page(items, total, following)


@router.get("/albums")
async def list_albums(
    request: Request,
    browse: BrowseDep,
    sort: Annotated[str, Query(json_schema_extra={"enum": list(repo.ALBUM_SORTS)})] = "title",
    artist_id: uuid.UUID | None = None,
) -> Page[AlbumOut]:
    """Albums by title, year or added; `next_cursor` fetches the next page."""
    check_keys(request, sort, repo.ALBUM_SORTS, ALBUM_FILTERS)
    found, total, following = await repo.list_albums(browse.session, browse, sort, artist_id)
    items = [_album(a, name, n) for a, name, n in found]
    return browse.page(items, total, following)


@router.get("/albums/{album_id}")
async def get_album(album_id: uuid.UUID, browse: BrowseDep) -> AlbumDetail:
    """An album with its tracks in disc and track order."""
    found = await browse.one(repo.get_album, "album", album_id)
    album, artist = found
    rows = await repo.tracks_of(browse.session, album_id)
    artists = await repo.artists_of(browse.session, [t.id for t in rows])
    tracks = [_track(t, artists[t.id]) for t in rows]
    await browse.flag("track", tracks)
    return AlbumDetail(
        **_album(album, artist, len(tracks)).model_dump(),
        locked_fields=list(album.locked_fields or ()),
        metadata_status=album.metadata_status,
        metadata_reason=album.metadata_reason,
        images=await browse.images("album", album.id),
        people=await browse.people("album", album.id),
        tracks=tracks,
    )


@router.get("/tracks/{track_id}")
async def get_track(track_id: uuid.UUID, browse: BrowseDep) -> TrackDetail:
    track = await browse.one(repo.get_track, "track", track_id)
    files = await browse.files([track.id])
    states = await browse.states([track.id])
    artists = await repo.artists_of(browse.session, [track.id])
    detail = TrackDetail(
        **_track(track, artists[track.id]).model_dump(),
        files=files.get(track.id, []),
        user_state=states[track.id],
    )
    await browse.flag("track", [detail])
    return detail
