"""The playlists feature as the composition root sees it."""

from __future__ import annotations

from revenge.infra.manifest import Feature
from revenge.playlists import models

FEATURE = Feature(
    name="playlists",
    models=(models,),
)
