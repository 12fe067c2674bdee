"""The search feature as the composition root sees it."""

from __future__ import annotations

from revenge.infra.manifest import Feature
from revenge.search import jobs, models

FEATURE = Feature(
    name="search",
    models=(models,),
    jobs=(jobs.index,),
)
