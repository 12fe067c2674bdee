"""The images feature as the composition root sees it."""

from __future__ import annotations

from revenge.images import jobs, models
from revenge.infra.manifest import Feature

FEATURE = Feature(
    name="images",
    models=(models,),
    jobs=(jobs.download,),
)
