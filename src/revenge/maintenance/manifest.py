"""The maintenance feature as the composition root sees it."""

from __future__ import annotations

from revenge.infra.manifest import Feature, Schedule
from revenge.maintenance import jobs, tasks

FEATURE = Feature(
    name="maintenance",
    jobs=(jobs.cleanup,),
    schedules=(Schedule("maintenance.cleanup.hourly", "17 * * * *", tasks.cleanup),),
)
