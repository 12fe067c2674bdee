"""The collections feature as the composition root sees it."""

from __future__ import annotations

from revenge.collections import models
from revenge.infra.manifest import Feature

FEATURE = Feature(
    name="collections",
    models=(models,),
)
