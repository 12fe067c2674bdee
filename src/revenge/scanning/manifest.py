"""The scanning feature as the composition root sees it (its tables are the libraries')."""

from __future__ import annotations

from revenge.infra.manifest import Feature, Schedule
from revenge.libraries import tasks
from revenge.scanning import jobs

FEATURE = Feature(
    name="scanning",
    jobs=(jobs.scan, jobs.probe, jobs.scan_due),
    schedules=(Schedule("libraries.scan_due.hourly", "23 * * * *", tasks.scan_due),),
)
