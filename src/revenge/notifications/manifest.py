"""The notifications feature as the composition root sees it."""

from __future__ import annotations

from revenge.infra.manifest import Feature
from revenge.notifications import jobs, models

FEATURE = Feature(
    name="notifications",
    models=(models,),
    jobs=(jobs.deliver,),
)
