"""`images.download`: fetch (or read) one piece of artwork, verify it, store it once."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.images import image_service, repository
from revenge.images.errors import ImageRefused
from revenge.images.service import source_key
from revenge.images.tasks import DownloadImage, download_image
from revenge.infra.jobs.context import JobContext

log = logging.getLogger(__name__)


class ImageLinker(Protocol):
    """Attaches a stored image to the item named by a payload's `target` (catalogue seam)."""

    async def link(
        self, session: AsyncSession, target: dict[str, Any], image_id: uuid.UUID
    ) -> None: ...


@download_image.handler
async def download(ctx: JobContext, job: DownloadImage) -> None:
    runtime = ctx.runtime
    service = image_service(runtime)
    payload = job.as_dict()
    source = source_key(payload)
    image_id = None if job.force else await _already_stored(ctx, source)
    if image_id is None:
        try:
            facts = await service.acquire(payload, await _roots(ctx, job))
        except ImageRefused as exc:
            log.info("image %s refused: %s", source, exc)
            async with runtime.db.transaction() as session:
                await service.record_refused(session, source, exc)
            if exc.transient:
                raise  # the queue retries with backoff
            return
    async with runtime.db.transaction() as session:
        if image_id is None:
            image_id = await service.record_stored(session, source, facts)
        linker = runtime.image_linker
        if linker is not None and job.target is not None:
            await linker.link(session, job.target.model_dump(exclude_none=True), image_id)


async def _roots(ctx: JobContext, job: DownloadImage) -> list[str]:
    """The library folders, for a payload naming a local file (nothing for a URL)."""
    if job.url:
        return []
    async with ctx.runtime.db.transaction() as session:
        return await repository.library_roots(session)


async def _already_stored(ctx: JobContext, source: str) -> uuid.UUID | None:
    """Idempotence: a source stored before (and still present) is not fetched again."""
    async with ctx.runtime.db.transaction() as session:
        row = await repository.get_source(session, source)
    return row.image_id if row is not None and row.status == "stored" else None
