"""Image API: originals, bounded variants cached on disk, ETag/304, authentication."""

from __future__ import annotations

import io
import uuid

import httpx
from PIL import Image

from revenge.images.service import ImageService
from revenge.runtime import Runtime
from tests.images.samples import encoded
from tests.support.auth import header_auth

USER = {"X-Test-User": "user"}


async def stored(runtime: Runtime, images: ImageService, data: bytes) -> uuid.UUID:
    facts = await images.acquire_bytes(data)
    async with runtime.db.transaction() as session:
        return await images.record_stored(session, "test:" + facts.content_hash, facts)


async def test_original_with_etag_and_304(
    clean_runtime: Runtime, images: ImageService, client: httpx.AsyncClient
) -> None:
    data = encoded("JPEG", (400, 600))
    image_id = await stored(clean_runtime, images, data)
    with header_auth(clean_runtime):
        assert (await client.get(f"/api/v1/images/{image_id}")).status_code == 401
        response = await client.get(f"/api/v1/images/{image_id}", headers=USER)
        assert response.status_code == 200 and response.content == data
        assert response.headers["content-type"] == "image/jpeg"
        assert response.headers["cache-control"] == "private, max-age=31536000, immutable"
        assert response.headers["x-content-type-options"] == "nosniff"
        etag = response.headers["etag"]
        again = await client.get(
            f"/api/v1/images/{image_id}", headers={**USER, "If-None-Match": etag}
        )
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        info = (await client.get(f"/api/v1/images/{image_id}/info", headers=USER)).json()
        assert (info["width"], info["height"], info["format"]) == (400, 600, "jpeg")
        assert info["blurhash"] and info["dominant_color"].startswith("#")


async def test_resized_variants_are_bounded_and_cached(
    clean_runtime: Runtime, images: ImageService, client: httpx.AsyncClient
) -> None:
    image_id = await stored(clean_runtime, images, encoded("PNG", (1000, 1500)))
    url = f"/api/v1/images/{image_id}"
    with header_auth(clean_runtime):
        webp = await client.get(url, params={"width": 300}, headers=USER)
        assert webp.status_code == 200 and webp.headers["content-type"] == "image/webp"
        with Image.open(io.BytesIO(webp.content)) as im:
            assert im.size == (320, 480)  # 300 snaps up to the 320 rung
        cached = await images.store.storage.list_prefix("images/variants/")
        assert len(cached) == 1 and cached[0].key.endswith(".webp")
        assert (await client.get(url, params={"width": 310}, headers=USER)).content == webp.content
        # Served from storage, not rendered again.
        assert await images.store.storage.list_prefix("images/variants/") == cached
        etag = webp.headers["etag"]
        not_modified = await client.get(
            url, params={"width": 300}, headers={**USER, "If-None-Match": etag}
        )
        assert not_modified.status_code == 304
        jpeg = await client.get(url, params={"height": 200, "format": "jpeg"}, headers=USER)
        assert jpeg.headers["content-type"] == "image/jpeg" and jpeg.headers["etag"] != etag
        with Image.open(io.BytesIO(jpeg.content)) as im:
            assert im.size[1] == 240 and im.format == "JPEG"
        huge = await client.get(url, params={"width": 9000, "format": "webp"}, headers=USER)
        with Image.open(io.BytesIO(huge.content)) as im:
            assert im.size == (1000, 1500)  # never enlarged


async def test_bad_requests(
    clean_runtime: Runtime, images: ImageService, client: httpx.AsyncClient
) -> None:
    image_id = await stored(clean_runtime, images, encoded("JPEG"))
    with header_auth(clean_runtime):
        for params in ({"width": 0}, {"width": 100_000}, {"format": "svg"}, {"height": "x"}):
            response = await client.get(f"/api/v1/images/{image_id}", params=params, headers=USER)
            assert response.status_code == 422
            assert response.headers["content-type"].startswith("application/problem+json")
        missing = await client.get(f"/api/v1/images/{uuid.uuid4()}", headers=USER)
        assert missing.status_code == 404
        assert (await client.get("/api/v1/images/not-a-uuid", headers=USER)).status_code == 422
