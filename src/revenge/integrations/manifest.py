"""The integrations feature as the composition root sees it."""

from __future__ import annotations

from revenge.infra.manifest import Feature, Schedule
from revenge.integrations import jobs, models, tasks

FEATURE = Feature(
    name="integrations",
    models=(models,),
    jobs=(jobs.scan_requested, jobs.poll, jobs.refresh, jobs.sync),
    schedules=(
        Schedule("integrations.scan_requested.minutely", "* * * * *", tasks.scan_requested),
        Schedule("podcasts.poll.hourly", "41 * * * *", tasks.poll_feeds),
    ),
)
