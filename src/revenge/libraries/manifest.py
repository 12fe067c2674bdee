"""The libraries feature as the composition root sees it."""

from __future__ import annotations

from revenge.infra.manifest import Feature, Schedule
from revenge.libraries import jobs, models, tasks

FEATURE = Feature(
    name="libraries",
    models=(models,),
    jobs=(jobs.scan, jobs.probe, jobs.scan_due),
    schedules=(Schedule("libraries.scan_due.hourly", "23 * * * *", tasks.scan_due),),
)
