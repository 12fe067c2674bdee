"""Identifying an album by hand and editing its metadata (administrators)."""

from __future__ import annotations

from revenge.catalog.identify import IdentifySpec, choice_model, edit_model, metadata_out_model
from revenge.catalog.music.kind import ALBUM
from revenge.catalog.music.models import Album
from revenge.catalog.music.repository import get_album
from revenge.metadata.protocols import MusicProvider

EDITABLE = ALBUM.editable

SPEC = IdentifySpec(
    kind="album",
    model=Album,
    path="/albums",
    get=get_album,
    capability=MusicProvider,
    editable=EDITABLE,
    choice=choice_model("AlbumChoice", ("musicbrainz",), "A metadata provider of this kind."),
    edit=edit_model("AlbumEdit", EDITABLE, 1000),
    out=metadata_out_model("AlbumMetadataOut", EDITABLE, ("musicbrainz_id",)),
    first_year=1000,
)
