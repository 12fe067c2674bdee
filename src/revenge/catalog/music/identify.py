"""Identifying an album by hand and editing its metadata (administrators)."""

from __future__ import annotations

from revenge.catalog.identify import identify_spec
from revenge.catalog.music.kind import ALBUM
from revenge.catalog.music.repository import get_album
from revenge.metadata.protocols import MusicProvider

SPEC = identify_spec(
    ALBUM, MusicProvider, ("musicbrainz",), ("musicbrainz_id",), path="/albums",
    names=("AlbumChoice", "AlbumEdit", "AlbumMetadataOut"), get=get_album, first_year=1000,
)  # fmt: skip
