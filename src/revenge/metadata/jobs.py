"""Metadata jobs.

`metadata.fetch` is a placeholder owned by the metadata feature (a later issue): the scanner
already enqueues it, in batches, for new and changed items, with the payload
`{"library_id": str, "items": [{"kind": "movie" | "episode" | ..., "id": str}, ...]}`.
Until providers exist the job only acknowledges the batch; replace its body, keep its name
and payload.
"""

from __future__ import annotations

import logging
from typing import Any

from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.registry import JobRegistry

log = logging.getLogger(__name__)


async def fetch(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Placeholder: match items to providers (not built yet)."""
    log.debug("metadata.fetch: %d items waiting for providers", len(payload.get("items", [])))


def register(registry: JobRegistry) -> None:
    registry.task("metadata.fetch", queue="metadata")(fetch)
