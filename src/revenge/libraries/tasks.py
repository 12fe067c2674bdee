"""The library jobs, declared once with their payloads (handlers in `scanning.jobs`)."""

from __future__ import annotations

import uuid

from revenge.infra.jobs.types import JobPayload, JobType, NoPayload


class ScanLibrary(JobPayload):
    """A scan of one library: `type` "full" or "incremental", optionally of some folders;
    `scan_id` names the scan row the API created for it (else the job creates one)."""

    library_id: uuid.UUID
    type: str = "incremental"
    scan_id: uuid.UUID | None = None
    folders: list[str] | None = None


class ProbeFiles(JobPayload):
    """A batch of video files to probe (streams, subtitle files beside them)."""

    library_id: uuid.UUID | None = None
    file_ids: list[uuid.UUID] = []


def scan_dedupe_key(library_id: uuid.UUID | str) -> str:
    """One queued or running scan per library, whoever asks for it."""
    return f"libraries.scan:{library_id}"


scan_library = JobType("libraries.scan", "scan", ScanLibrary, max_attempts=3)
probe_files = JobType("libraries.probe", "scan", ProbeFiles, concurrency_limit=2, max_attempts=3)
scan_due = JobType("libraries.scan_due", "scan", NoPayload, concurrency_limit=1)
