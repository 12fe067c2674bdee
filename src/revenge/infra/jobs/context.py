"""What a job function receives: the runtime's services and its own job record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from revenge.runtime import Runtime


@dataclass
class JobContext:
    runtime: Runtime
    job_id: int
    task: str
    attempt: int
