"""The sessions feature as the composition root sees it."""

from __future__ import annotations

from revenge.infra.manifest import Feature
from revenge.sessions import models

FEATURE = Feature(
    name="sessions",
    models=(models,),
)
