"""What a feature tells the composition root about itself (see `revenge.features`).

Each feature package has a `manifest.py` with one `Feature`: its table modules (for the
schema), its job handlers and schedules. `infra` defines the shape and imports no feature;
the root (`revenge.features`, `revenge.runtime`) reads the manifests.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from revenge.infra.jobs.registry import JobRegistry
from revenge.infra.jobs.types import JobHandler, JobType


@dataclass(frozen=True)
class Schedule:
    """Enqueue `job` (with no payload) on every tick of `cron`, once across the nodes."""

    name: str
    cron: str
    job: JobType[Any]


@dataclass(frozen=True)
class Feature:
    name: str
    # Modules declaring the feature's tables; imported so the schema is complete.
    models: tuple[ModuleType, ...] = ()
    jobs: tuple[JobHandler[Any], ...] = ()
    schedules: tuple[Schedule, ...] = ()

    def register_jobs(self, registry: JobRegistry) -> None:
        for handler in self.jobs:
            registry.add(handler)
        for schedule in self.schedules:
            registry.schedule(schedule.name, schedule.cron, schedule.job)
