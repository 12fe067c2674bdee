"""The personal access keys feature as the composition root sees it."""

from __future__ import annotations

from revenge.access_keys import models
from revenge.infra.manifest import Feature

FEATURE = Feature(
    name="access_keys",
    models=(models,),
)
