"""The single registry of job functions; each feature's `jobs.py` adds its own here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from revenge.infra.jobs.types import JobHandler, JobLimits, JobType

if TYPE_CHECKING:
    from revenge.infra.jobs.context import JobContext

QUEUES = (
    "scan", "metadata", "images", "search", "maintenance", "notifications", "integrations",
)  # fmt: skip

JobFunc = Callable[["JobContext", dict[str, Any]], Awaitable[None]]
# A job without limits of its own: the `jobs` settings' attempts, no rate, concurrency or time
# limit.
NO_LIMITS = JobLimits()


@dataclass(frozen=True)
class TaskSpec:
    """A job type: `<feature>.<verb>` on one queue, with its limits."""

    name: str
    queue: str
    func: JobFunc
    limits: JobLimits = NO_LIMITS


@dataclass(frozen=True)
class ScheduleSpec:
    """A periodic task: on each cron tick, `task` is enqueued (once, by one node)."""

    name: str
    cron: str
    task: str


@dataclass
class JobRegistry:
    tasks: dict[str, TaskSpec] = field(default_factory=dict)
    schedules: dict[str, ScheduleSpec] = field(default_factory=dict)

    def task(
        self, name: str, *, queue: str, limits: JobLimits = NO_LIMITS
    ) -> Callable[[JobFunc], JobFunc]:
        """Decorator registering a job function under `name` on `queue`."""
        if queue not in QUEUES:
            raise ValueError(f"unknown queue {queue!r}")

        def register(func: JobFunc) -> JobFunc:
            if name in self.tasks:
                raise ValueError(f"job {name!r} registered twice")
            self.tasks[name] = TaskSpec(name, queue, func, limits)
            return func

        return register

    def add(self, handler: JobHandler[Any]) -> None:
        """Register a typed job's handler (it parses each payload into the job's model); the
        job type carries its own limits."""
        job = handler.job
        self.task(job.name, queue=job.queue, limits=job)(handler)

    def schedule(self, name: str, cron: str, task: str | JobType[Any]) -> None:
        """Enqueue the registered job `task` on every tick of `cron`."""
        if isinstance(task, JobType):
            task = task.name
        if name in self.schedules:
            raise ValueError(f"schedule {name!r} registered twice")
        if task not in self.tasks:
            raise ValueError(f"schedule {name!r} names unknown job {task!r}")
        self.schedules[name] = ScheduleSpec(name, cron, task)

    def queue_of(self, name: str) -> str:
        return self.tasks[name].queue
