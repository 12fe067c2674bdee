"""Artwork URLs the guard cannot even connect to are refusals, recorded once, not retried."""

from __future__ import annotations

import psycopg
import pytest

from revenge.images.jobs import download
from revenge.images.service import ImageService
from revenge.infra.jobs.context import JobContext
from revenge.runtime import Runtime


def ctx(runtime: Runtime) -> JobContext:
    return JobContext(runtime=runtime, job_id=0, task="images.download", attempt=1)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        # Octal: 127.0.0.1 to a resolver, an invalid URL to httpx.
        ("http://0177.0.0.1/poster.jpg", "bad_url"),
        ("http://0177.0.0.2:8/poster.jpg", "private_address"),
        ("http://no-such-host.invalid/poster.jpg", "unresolvable"),
    ],
)
async def test_unusual_hosts_are_recorded_as_refusals(
    clean_runtime: Runtime, images: ImageService, url: str, code: str
) -> None:
    # On main these raised out of the job (and the queue retried them as errors).
    await download(ctx(clean_runtime), {"url": url})
    with psycopg.connect(clean_runtime.db.url) as conn:
        recorded = list(conn.execute("SELECT source, status, reason FROM image_sources"))
    assert len(recorded) == 1
    source, status, reason = recorded[0]
    assert source == url and status == "refused"
    assert reason.startswith(code + ":"), reason
