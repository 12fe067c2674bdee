"""The apikeys feature as the composition root sees it."""

from __future__ import annotations

from revenge.apikeys import models
from revenge.infra.manifest import Feature

FEATURE = Feature(
    name="apikeys",
    models=(models,),
)
