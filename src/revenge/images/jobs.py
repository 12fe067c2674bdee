"""`images.download`: fetch (or read) one piece of artwork, verify it, store it once."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.images import image_service, repository
from revenge.images.errors import ImageRefused
from revenge.images.service import source_key
from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.registry import JobRegistry

log = logging.getLogger(__name__)

DOWNLOAD = "images.download"


class ImageLinker(Protocol):
    """Attaches a stored image to the item named by a payload's `target` (catalogue seam)."""

    async def link(
        self, session: AsyncSession, target: dict[str, Any], image_id: uuid.UUID
    ) -> None: ...


async def download(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Payload: `url` | `path` | `embedded` (audio file), optional `target`, `force`."""
    runtime = ctx.runtime
    service = image_service(runtime)
    source = source_key(payload)
    image_id = None if payload.get("force") else await _already_stored(ctx, source)
    if image_id is None:
        try:
            facts = await service.acquire(payload, await _roots(ctx, payload))
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
        linker: ImageLinker | None = runtime.services.get("image_linker")
        if linker is not None and payload.get("target"):
            await linker.link(session, payload["target"], image_id)


async def _roots(ctx: JobContext, payload: dict[str, Any]) -> list[str]:
    """The library folders, for a payload naming a local file (nothing for a URL)."""
    if payload.get("url"):
        return []
    async with ctx.runtime.db.transaction() as session:
        return await repository.library_roots(session)


async def _already_stored(ctx: JobContext, source: str) -> uuid.UUID | None:
    """Idempotence: a source stored before (and still present) is not fetched again."""
    async with ctx.runtime.db.transaction() as session:
        row = await repository.get_source(session, source)
    return row.image_id if row is not None and row.status == "stored" else None


def register(registry: JobRegistry) -> None:
    registry.task(DOWNLOAD, queue="images", max_attempts=4, timeout_seconds=120)(download)
