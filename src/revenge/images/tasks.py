"""The image download job, declared once with its payload (handler in `images.jobs`)."""

from __future__ import annotations

from typing import Any

from revenge.infra.jobs.types import JobPayload, JobType, QueuedJob


class ImageTarget(JobPayload):
    """The catalogue item (`<kind>:<uuid>`) an image is attached to, and as what."""

    item_id: str
    item_kind: str | None = None
    kind: str


class DownloadImage(JobPayload):
    """One piece of artwork: from a `url`, a library file `path`, or the cover `embedded`
    in an audio file; `force` fetches it again even when stored before."""

    url: str | None = None
    path: str | None = None
    embedded: str | None = None
    target: ImageTarget | None = None
    force: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    def dedupe_key(self) -> str | None:
        """One queued download per item and artwork kind."""
        return f"images:{self.target.item_id}:{self.target.kind}" if self.target else None


def download_jobs(payloads: list[dict[str, Any]]) -> list[QueuedJob]:
    """`images.download` jobs of artwork payloads, one queued per item and artwork kind."""
    jobs: list[QueuedJob] = []
    for raw in payloads:
        payload = DownloadImage.model_validate(raw)
        jobs.append(download_image.job(payload, payload.dedupe_key()))
    return jobs


download_image = JobType("images.download", "images", DownloadImage, max_attempts=4,
                         timeout_seconds=120)  # fmt: skip
