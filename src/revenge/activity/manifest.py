"""The activity feature as the composition root sees it."""

from __future__ import annotations

from revenge.activity import models
from revenge.infra.manifest import Feature

FEATURE = Feature(
    name="activity",
    models=(models,),
)
