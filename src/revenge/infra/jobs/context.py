"""What a job function receives: the runtime's services and its own job record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from revenge.runtime import Runtime


class ExpectedJobFailure(Exception):
    """A job failed in a way it foresaw and already recorded (e.g. a delivery target that
    stayed unreachable): logged as a warning with this reason, without a traceback, and
    not announced again as `job.failed` by the worker."""


@dataclass
class JobContext:
    runtime: Runtime
    job_id: int
    task: str
    attempt: int
