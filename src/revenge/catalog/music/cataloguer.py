"""The music module as the scanner sees it."""

from __future__ import annotations

import uuid
from typing import Any

from psycopg import AsyncConnection

from revenge.catalog.music import repository as repo
from revenge.catalog.music.placement import TrackPlan, plan_track
from revenge.catalog.text import norm, sort_title
from revenge.catalog.types import BaseCataloguer, FileToPlace, Placed, Placement


def _plan(file: FileToPlace) -> TrackPlan:
    tags = file.facts.tags if file.facts is not None else {}
    plan = plan_track(file.parts, tags)
    plan.duration = file.facts.duration if file.facts is not None else None
    return plan


class MusicCataloguer(BaseCataloguer, media="audio", orphans=repo.delete_orphans):
    async def place(
        self, conn: AsyncConnection[Any], library_id: uuid.UUID, files: list[FileToPlace]
    ) -> Placed:
        plans = {f.file_id: _plan(f) for f in files}
        artist_rows = {
            norm(name): {"name": name, "sort_name": sort_title(name)}
            for p in plans.values()
            for name in (p.album_artist, *p.artists)
        }
        artist_ids, new_artists = await repo.upsert_artists(conn, library_id, artist_rows)
        album_rows = {
            p.album_key: {
                "album_artist_id": artist_ids[norm(p.album_artist)],
                "title": p.album,
                "sort_title": sort_title(p.album),
                "year": p.year,
                "is_compilation": p.compilation,
                "musicbrainz_id": p.mbid_album,
            }
            for p in plans.values()
        }
        album_ids, new_albums = await repo.upsert_albums(conn, library_id, album_rows)
        track_rows = {p.key: _track_row(p, album_ids, artist_ids) for p in plans.values()}
        track_ids, new_tracks = await repo.upsert_tracks(conn, library_id, track_rows)
        await repo.replace_track_artists(
            conn,
            {track_ids[p.key]: [artist_ids[norm(a)] for a in p.artists] for p in plans.values()},
        )
        placed = Placed()
        for file_id, plan in plans.items():
            placed.placements[file_id] = Placement("track", track_ids[plan.key])
        placed.new_items = [("track", i) for i in new_tracks]
        # Albums are listed too: metadata (one MusicBrainz release per album) and search.
        placed.touched_items = [("track", i) for i in set(track_ids.values())] + [
            ("album", i) for i in set(album_ids.values())
        ]
        del new_artists, new_albums
        return placed


def _track_row(
    plan: TrackPlan, album_ids: dict[str, uuid.UUID], artist_ids: dict[str, uuid.UUID]
) -> dict[str, Any]:
    return {
        "album_id": album_ids[plan.album_key],
        # The first credited artist is the track's artist; the credit text stays as written.
        "artist_id": artist_ids[norm(plan.artists[0])],
        "artist_name": plan.artist,
        "title": plan.title,
        "disc_number": plan.disc,
        "track_number": plan.track,
        "duration_seconds": plan.duration,
        "musicbrainz_id": plan.mbid_track,
    }
