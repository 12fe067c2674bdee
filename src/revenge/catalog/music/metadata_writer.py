"""Music's side of the metadata writer: albums, matched on MusicBrainz releases.

An album's embedded tags (and a MusicBrainz album id in them) give an exact match; otherwise
the release is searched by title, album artist and year. The release also names the album
artist's MusicBrainz id and each track's recording id, stored where tags left them empty.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.metadata_fields import RowWriter, Saved
from revenge.catalog.music import metadata_repository as repo
from revenge.catalog.music.models import Album
from revenge.metadata.types import ExternalIds, ItemMetadata, TrackMetadata
from revenge.metadata.writer import FetchOutcome, ItemFacts


def _current(row: Album) -> ItemMetadata:
    return ItemMetadata(
        kind="album",
        title=row.title,
        year=row.year,
        genres=tuple(row.genres or ()),
        ids=ExternalIds(musicbrainz=row.musicbrainz_id),
    )


def track_ids(rows: Sequence[Any], found: Sequence[TrackMetadata]) -> dict[uuid.UUID, str]:
    """Recording ids by track, matched on (disc, number)."""
    by_position = {(t.disc or 1, t.number): t.ids.musicbrainz for t in found if t.ids.musicbrainz}
    return {
        r.id: mbid
        for r in rows
        if (mbid := by_position.get((r.disc_number or 1, r.track_number))) is not None
    }


class AlbumWriter(RowWriter):
    kind, model = "album", Album
    text, ids = (("genres", "genres"),), ("musicbrainz",)

    async def facts(self, session: AsyncSession, ref: str, item_id: uuid.UUID) -> ItemFacts | None:
        found = await repo.album(session, item_id)
        if found is None:
            return None
        row, artist = found
        file = await repo.album_file(session, row.id)
        return self.described(
            ref, row, Path(file).parent if file else None,
            ids=ExternalIds(musicbrainz=row.musicbrainz_id),
            episode_count=len(await repo.tracks(session, row.id)) or None,
            artist=None if row.is_compilation else artist, current=_current(row),
        )  # fmt: skip

    async def row(self, session: AsyncSession, item_id: uuid.UUID) -> Album | None:
        found = await repo.album(session, item_id)
        return found[0] if found is not None else None

    async def after_save(
        self, session: AsyncSession, row: Album, meta: ItemMetadata, outcome: FetchOutcome,
        saved: Saved,
    ) -> None:  # fmt: skip
        artist_mbid = next((p.ids.musicbrainz for p in meta.people if p.ids.musicbrainz), None)
        if artist_mbid and row.album_artist_id is not None and not row.is_compilation:
            await repo.set_artist_id(session, row.album_artist_id, artist_mbid)
        if meta.tracks:
            rows = await repo.tracks(session, row.id)
            await repo.set_track_ids(session, track_ids(rows, meta.tracks))
