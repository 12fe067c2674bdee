"""The metadata feature as the composition root sees it."""

from __future__ import annotations

from revenge.infra.manifest import Feature, Schedule
from revenge.metadata import jobs, tasks
from revenge.metadata.provider_credentials import models

FEATURE = Feature(
    name="metadata",
    models=(models,),
    jobs=(jobs.fetch, jobs.refresh),
    schedules=(Schedule("metadata.refresh.hourly", "41 * * * *", tasks.refresh_metadata),),
)
