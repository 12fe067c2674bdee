"""Revenge rows as Jellyfin's BaseItemDto, UserDto and friends (PascalCase, as clients parse).

Times are ticks (100 ns). Image tags are the item's id: artwork that is absent answers 404
on request, which is how Jellyfin clients learn it too, and lists need no artwork lookups.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime
from typing import Any

from revenge.compat.jellyfin.ids import jid

Dto = dict[str, Any]
TICKS = 10_000_000
COLLECTION_TYPES = {
    "movie": "movies", "tv": "tvshows", "music": "music", "audiobook": "books",
    "podcast": "music", "mixed": "mixed",
}  # fmt: skip


def ticks(seconds: float | None) -> int | None:
    return int(seconds * TICKS) if seconds else None


def when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        # isoformat of the naive UTC time: a third of strftime's cost, the same text.
        utc = value.astimezone(UTC).replace(tzinfo=None, microsecond=0)
        return f"{utc.isoformat()}.0000000Z"
    return f"{value.isoformat()}T00:00:00.0000000Z"


def user_data(key: str, state: Any, duration: float | None = None) -> Dto:
    """Jellyfin's UserData of an item from the caller's state (a state row, a row with the
    state's columns, None when there is none)."""
    if state is None:
        return {"PlaybackPositionTicks": 0, "PlayCount": 0, "IsFavorite": False,
                "Played": False, "Key": key, "ItemId": key}  # fmt: skip
    position = float(getattr(state, "position_seconds", 0) or 0)
    data: Dto = {
        "PlaybackPositionTicks": int(position * TICKS),
        "PlayCount": int(getattr(state, "play_count", 0) or 0),
        "IsFavorite": bool(getattr(state, "favourite", False)),
        "Played": bool(getattr(state, "played", False)),
        "Key": key,
        "ItemId": key,
    }
    last_played = getattr(state, "last_played_at", None)
    if last_played is not None:
        data["LastPlayedDate"] = when(last_played)
    if duration and position:
        data["PlayedPercentage"] = min(100.0, 100.0 * position / duration)
    return data


def _music_data(key: str, row: Any) -> Dto:
    """UserData of a music row, which carries the caller's favourite and play count as
    columns (no position: music is not resumed)."""
    plays = int(getattr(row, "play_count", 0) or 0)
    favourite = bool(getattr(row, "favourite", False))
    return {"PlaybackPositionTicks": 0, "PlayCount": plays, "IsFavorite": favourite,
            "Played": plays > 0, "Key": key, "ItemId": key}  # fmt: skip


def _base(kind: str, item_id: uuid.UUID, name: str, server: str, type_: str) -> Dto:
    key = jid(kind, item_id)
    return {
        "Name": name, "ServerId": server, "Id": key, "Etag": key, "Type": type_,
        "LocationType": "FileSystem", "ImageTags": {"Primary": key},
        "BackdropImageTags": [], "ImageBlurHashes": {},
    }  # fmt: skip


def library(lib: Any, server: str) -> Dto:
    dto = _base("library", lib.id, lib.name, server, "CollectionFolder")
    dto.update(IsFolder=True, CollectionType=COLLECTION_TYPES.get(lib.type, "mixed"),
               ImageTags={}, DateCreated=when(getattr(lib, "created_at", None)))  # fmt: skip
    return dto


def movie(row: Any, server: str, state: Any, duration: float | None) -> Dto:
    # One literal, in _base's key order then the movie's: lists build fifty of these.
    key = jid("movie", row.id)
    return {
        "Name": row.title, "ServerId": server, "Id": key, "Etag": key, "Type": "Movie",
        "LocationType": "FileSystem", "ImageTags": {"Primary": key},
        "BackdropImageTags": [], "ImageBlurHashes": {},
        "IsFolder": False, "MediaType": "Video", "VideoType": "VideoFile",
        "ProductionYear": row.year, "Overview": getattr(row, "overview", None),
        "Genres": list(row.genres or ()), "CommunityRating": row.community_rating,
        "RunTimeTicks": ticks(duration or (row.runtime_minutes or 0) * 60),
        "DateCreated": when(row.created_at), "ParentId": jid("library", row.library_id),
        "OriginalTitle": getattr(row, "original_title", None), "SortName": row.sort_title,
        "ProviderIds": _providers(row), "UserData": user_data(key, state, duration),
    }  # fmt: skip


def series(row: Any, server: str, state: Any, unplayed: int | None = None) -> Dto:
    dto = _base("series", row.id, row.title, server, "Series")
    data = user_data(jid("series", row.id), state)
    if unplayed is not None:
        data["UnplayedItemCount"] = unplayed
        data["Played"] = unplayed == 0
    dto.update(
        IsFolder=True, ProductionYear=row.year, Overview=row.overview,
        Genres=list(row.genres or ()), CommunityRating=row.community_rating,
        DateCreated=when(row.created_at), ParentId=jid("library", row.library_id),
        SortName=row.sort_title, ProviderIds=_providers(row), UserData=data, Status="Continuing",
        RunTimeTicks=ticks((row.runtime_minutes or 0) * 60),
    )  # fmt: skip
    return dto


def season(row: Any, series_row: Any, server: str, count: int | None = None) -> Dto:
    name = row.title or ("Specials" if row.number == 0 else f"Season {row.number}")
    dto = _base("season", row.id, name, server, "Season")
    dto.update(
        IsFolder=True, IndexNumber=row.number, SeriesId=jid("series", row.series_id),
        SeriesName=series_row.title if series_row else None,
        ParentId=jid("series", row.series_id), DateCreated=when(row.created_at),
        ChildCount=count, UserData=user_data(jid("season", row.id), None),
    )  # fmt: skip
    return dto


def episode(row: Any, server: str, state: Any, duration: float | None, series_name: str) -> Dto:
    dto = _base("episode", row.id, row.title, server, "Episode")
    dto.update(
        IsFolder=False, MediaType="Video", VideoType="VideoFile", IndexNumber=row.number,
        IndexNumberEnd=row.ending_number, ParentIndexNumber=row.season_number,
        SeriesId=jid("series", row.series_id), SeriesName=series_name,
        SeasonId=jid("season", row.season_id), ParentId=jid("season", row.season_id),
        Overview=row.overview, PremiereDate=when(row.air_date),
        ProductionYear=row.air_date.year if row.air_date else None,
        CommunityRating=row.community_rating, DateCreated=when(row.created_at),
        RunTimeTicks=ticks(duration or (row.runtime_minutes or 0) * 60),
        ProviderIds=_providers(row), UserData=user_data(jid("episode", row.id), state, duration),
    )  # fmt: skip
    return dto


def album(row: Any, server: str) -> Dto:
    key = jid("album", row.id)
    artist_id = getattr(row, "album_artist_id", None)
    artists = [{"Name": row.artist, "Id": jid("artist", artist_id)}] if artist_id else []
    return {
        "Name": row.title, "ServerId": server, "Id": key, "Etag": key, "Type": "MusicAlbum",
        "LocationType": "FileSystem", "ImageTags": {"Primary": key},
        "BackdropImageTags": [], "ImageBlurHashes": {},
        "IsFolder": True, "ProductionYear": row.year, "Genres": list(row.genres or ()),
        "AlbumArtist": row.artist or "", "Artists": [row.artist] if row.artist else [],
        "AlbumArtists": artists, "ArtistItems": artists, "ChildCount": int(row.song_count or 0),
        "RunTimeTicks": ticks(float(row.duration or 0)), "DateCreated": when(row.created_at),
        "ParentId": jid("library", row.library_id), "UserData": _music_data(key, row),
    }  # fmt: skip


def track(row: Any, server: str) -> Dto:
    dto = _base("track", row.id, row.title, server, "Audio")
    name = os.path.basename(row.path) if getattr(row, "path", None) else ""
    artist_id = getattr(row, "artist_id", None)
    artists = [{"Name": row.artist, "Id": jid("artist", artist_id)}] if artist_id else []
    dto.update(
        IsFolder=False, MediaType="Audio", Album=row.album, AlbumId=jid("album", row.album_id),
        AlbumPrimaryImageTag=jid("album", row.album_id), ImageTags={},
        AlbumArtist=row.artist or "", Artists=[row.artist] if row.artist else [],
        ArtistItems=artists, IndexNumber=row.track_number, ParentIndexNumber=row.disc_number,
        ProductionYear=row.year, Genres=list(row.genres or ()),
        RunTimeTicks=ticks(float(row.duration or 0)), DateCreated=when(row.created_at),
        ParentId=jid("album", row.album_id), Container=os.path.splitext(name)[1].lstrip("."),
        UserData=_music_data(dto["Id"], row),
    )  # fmt: skip
    return dto


def artist(row: Any, server: str) -> Dto:
    dto = _base("artist", row.id, row.name, server, "MusicArtist")
    dto.update(IsFolder=True, ChildCount=int(row.album_count or 0),
               UserData=_music_data(dto["Id"], row))  # fmt: skip
    return dto


def playlist(kind: str, row: Any, server: str) -> Dto:
    dto = _base(kind, row.id, row.name, server, "Playlist")
    dto.update(IsFolder=True, MediaType="Audio" if kind == "audio_playlist" else "Video",
               ChildCount=getattr(row, "item_count", None), ImageTags={})  # fmt: skip
    return dto


def _providers(row: Any) -> dict[str, str]:
    pairs = (("Tmdb", "tmdb_id"), ("Imdb", "imdb_id"), ("Tvdb", "tvdb_id"))
    return {name: str(getattr(row, attr)) for name, attr in pairs if getattr(row, attr, None)}


def user(found: Any, server: str) -> Dto:
    admin = getattr(found, "role", "user") == "admin"
    return {
        "Name": found.username, "ServerId": server, "Id": jid("user", found.id),
        "HasPassword": True, "HasConfiguredPassword": True,
        "HasConfiguredEasyPassword": False, "EnableAutoLogin": False,
        "LastLoginDate": when(getattr(found, "last_login_at", None)),
        "Configuration": {
            "PlayDefaultAudioTrack": True, "SubtitleMode": "Default", "OrderedViews": [],
            "LatestItemsExcludes": [], "MyMediaExcludes": [], "GroupedFolders": [],
            "HidePlayedInLatest": True, "RememberAudioSelections": True,
            "RememberSubtitleSelections": True, "EnableNextEpisodeAutoPlay": True,
        },
        "Policy": {
            "IsAdministrator": admin, "IsHidden": False, "IsDisabled": False,
            "EnableMediaPlayback": True, "EnableAudioPlaybackTranscoding": True,
            "EnableVideoPlaybackTranscoding": True, "EnablePlaybackRemuxing": True,
            "EnableContentDownloading": True, "EnableAllFolders": True,
            "EnableRemoteAccess": True, "AuthenticationProviderId": "Revenge",
            "PasswordResetProviderId": "Revenge",
        },
    }  # fmt: skip


def page(items: list[Dto], total: int, start: int) -> Dto:
    return {"Items": items, "TotalRecordCount": total, "StartIndex": start}


EMPTY: Dto = {"Items": [], "TotalRecordCount": 0, "StartIndex": 0}
