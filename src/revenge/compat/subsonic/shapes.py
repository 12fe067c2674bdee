"""Revenge rows in the shapes Subsonic clients parse (AlbumID3, Child, ArtistID3, ...)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from revenge.compat.subsonic.params import sid
from revenge.compat.subsonic.protocol import Payload
from revenge.streaming.files import media_type

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _starred(row: Any) -> datetime | None:
    return row.state_at if getattr(row, "favourite", None) else None


def artist(row: Any) -> Payload:
    return {
        "id": sid("artist", row.id), "name": row.name, "albumCount": int(row.album_count),
        "coverArt": sid("artist", row.id), "starred": _starred(row),
        "userRating": row.rating,
    }  # fmt: skip


def album(row: Any) -> Payload:
    genres = list(row.genres or ())
    return {
        "id": sid("album", row.id), "name": row.title, "title": row.title,
        "album": row.title, "artist": row.artist or "",
        "artistId": sid("artist", row.album_artist_id) if row.album_artist_id else None,
        "coverArt": sid("album", row.id), "songCount": int(row.song_count or 0),
        "duration": round(float(row.duration or 0)), "playCount": int(row.play_count or 0),
        "created": row.created_at or EPOCH, "year": row.year,
        "genre": genres[0] if genres else None, "genres": [{"name": g} for g in genres],
        "starred": _starred(row), "userRating": row.rating, "isDir": True,
    }  # fmt: skip


def song(row: Any) -> Payload:
    name = os.path.basename(row.path) if row.path else ""
    suffix = os.path.splitext(name)[1].lstrip(".").lower()
    genres = list(row.genres or ())
    return {
        "id": sid("track", row.id), "parent": sid("album", row.album_id), "isDir": False,
        "title": row.title, "album": row.album, "artist": row.artist or "",
        "track": row.track_number, "discNumber": row.disc_number, "year": row.year,
        "genre": genres[0] if genres else None, "coverArt": sid("album", row.album_id),
        "size": row.size, "contentType": media_type(name) if name else None,
        "suffix": suffix or None, "duration": round(float(row.duration or 0)),
        "bitRate": round(row.bit_rate / 1000) if row.bit_rate else None,
        "path": name or None, "created": row.created_at or EPOCH,
        "albumId": sid("album", row.album_id),
        "artistId": sid("artist", row.artist_id) if row.artist_id else None,
        "type": "music", "mediaType": "song", "isVideo": False, "starred": _starred(row),
        "userRating": row.rating, "playCount": int(row.play_count or 0),
    }  # fmt: skip


def playlist(row: Any, owner: str, count: int, duration: float) -> Payload:
    return {
        "id": sid("playlist", row.id), "name": row.name, "comment": row.description,
        "owner": owner, "public": row.is_public, "songCount": count,
        "duration": round(duration), "created": row.created_at, "changed": row.updated_at,
    }  # fmt: skip


def episode(row: Any) -> Payload:
    name = os.path.basename(row.path) if row.path else ""
    suffix = os.path.splitext(name)[1].lstrip(".").lower()
    return {
        "id": sid("podcast_episode", row.id), "streamId": sid("podcast_episode", row.id),
        "channelId": sid("podcast", row.podcast_id), "parent": sid("podcast", row.podcast_id),
        "isDir": False, "title": row.title, "album": row.podcast_title,
        "description": row.description, "publishDate": row.published_on,
        "status": "completed" if row.path else "error", "duration": round(row.duration or 0),
        "size": row.size, "suffix": suffix or None,
        "contentType": media_type(name) if name else None,
        "coverArt": sid("podcast", row.podcast_id), "type": "podcast",
        "created": row.created_at,
    }  # fmt: skip


def audiobook(row: Any) -> Payload:
    return {
        "id": sid("audiobook", row.id), "isDir": False, "title": row.title,
        "album": row.series_name or row.title, "artist": row.author or "",
        "duration": round(row.duration_seconds or 0), "coverArt": sid("audiobook", row.id),
        "type": "audiobook", "mediaType": "song", "created": row.created_at,
    }  # fmt: skip
