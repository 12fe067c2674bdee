"""The events feature as the composition root sees it."""

from __future__ import annotations

from revenge.events import models
from revenge.infra.manifest import Feature

FEATURE = Feature(
    name="events",
    models=(models,),
)
