"""Artwork in S3-compatible object storage (moto's S3 API) is answered as artwork on disk."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from revenge.config import ImageSettings
from revenge.images.fetch import SafeFetcher
from revenge.images.service import ImageService
from revenge.infra.http import Allowlist
from revenge.infra.storage import open_storage
from revenge.runtime import Runtime
from tests.images.samples import encoded
from tests.images.test_routes import USER, stored
from tests.support.auth import header_auth
from tests.support.object_storage import S3Server, s3_server

COMPARED = (
    "content-type", "content-length", "content-range", "accept-ranges", "etag", "cache-control",
    "x-content-type-options", "content-security-policy",
)  # fmt: skip
REQUESTS: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    ("GET", {}, {}),
    ("HEAD", {}, {}),
    ("GET", {}, {"Range": "bytes=0-99"}),
    ("GET", {}, {"Range": "bytes=-50"}),
    ("GET", {}, {"Range": "bytes=100-"}),
    ("GET", {}, {"Range": "bytes=99999999-"}),
    ("GET", {"width": 120}, {}),
    ("GET", {"width": 120, "format": "jpeg"}, {"Range": "bytes=10-19"}),
]


@pytest.fixture
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.fixture
async def s3_images(clean_runtime: Runtime, s3: S3Server) -> AsyncIterator[ImageService]:
    fetcher = SafeFetcher(Allowlist.parse(["127.0.0.1"]), timeout=5)
    storage = open_storage(s3.settings(), Path("/nonexistent"))
    service = ImageService(storage, ImageSettings(), fetcher)
    previous = clean_runtime.images
    clean_runtime.images = service
    yield service
    await fetcher.aclose()
    clean_runtime.images = previous


async def answers(client: httpx.AsyncClient, url: str) -> list[tuple[int, dict[str, str], bytes]]:
    found = []
    for method, params, headers in REQUESTS:
        resp = await client.request(method, url, params=params, headers={**USER, **headers})
        kept = {k: resp.headers[k] for k in COMPARED if k in resp.headers}
        found.append((resp.status_code, kept, resp.content))
    return found


async def test_served_from_a_bucket_exactly_as_from_the_data_directory(
    clean_runtime: Runtime, images: ImageService, client: httpx.AsyncClient, s3: S3Server,
    s3_images: ImageService,
) -> None:  # fmt: skip
    data = encoded("JPEG", (400, 600))
    url = f"/api/v1/images/{await stored(clean_runtime, s3_images, data)}"
    with header_auth(clean_runtime):
        from_bucket = await answers(client, url)
        clean_runtime.images = images
        await stored(clean_runtime, images, data)
        from_disk = await answers(client, url)
    assert from_bucket == from_disk
    statuses = [status for status, _, _ in from_bucket]
    assert statuses == [200, 405, 206, 206, 206, 416, 200, 206]  # no HEAD route, as before
    assert from_bucket[0][2] == data and from_bucket[2][2] == data[:100]
    assert from_bucket[2][1]["content-range"] == f"bytes 0-99/{len(data)}"
    # The original and the two variants rendered on first request are in the bucket.
    keys = s3.object_keys()
    assert len(keys) == 3 and sum(k.startswith("images/variants/") for k in keys) == 2, keys


async def test_a_missing_object_is_404(
    clean_runtime: Runtime, client: httpx.AsyncClient, s3: S3Server, s3_images: ImageService
) -> None:
    url = f"/api/v1/images/{await stored(clean_runtime, s3_images, encoded('PNG', (50, 50)))}"
    await s3_images.store.storage.delete(*s3.object_keys())
    with header_auth(clean_runtime):
        assert (await client.get(url, headers=USER)).status_code == 404
        assert (await client.get(url, params={"width": 64}, headers=USER)).status_code == 404
