"""Identifying a series by hand and editing its metadata (administrators)."""

from __future__ import annotations

from revenge.catalog.identify import IdentifySpec, choice_model, edit_model, metadata_out_model
from revenge.catalog.tv.kind import SERIES
from revenge.catalog.tv.models import Series
from revenge.catalog.tv.repository import get_series
from revenge.metadata.protocols import TvProvider

EDITABLE = SERIES.editable
_ANY = "A metadata provider of this kind."

SPEC = IdentifySpec(
    kind="series",
    model=Series,
    path="/series",
    get=get_series,
    capability=TvProvider,
    editable=EDITABLE,
    choice=choice_model("SeriesChoice", ("tmdb", "tvdb"), _ANY),
    edit=edit_model("SeriesEdit", EDITABLE, 1850),
    out=metadata_out_model("SeriesMetadataOut", EDITABLE, ("tmdb_id", "tvdb_id", "imdb_id")),
)
