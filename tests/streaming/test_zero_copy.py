"""Streaming through uvicorn over loopback, as `revenge serve` runs it: sendfile path."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from revenge.app import create_app
from revenge.config import Settings
from revenge.runtime import Runtime
from revenge.streaming.signing import file_scope, signer
from revenge.streaming.zerocopy import ZeroCopyApp
from revenge.testing.auth import USER
from tests.streaming.conftest import CONTENT, Media, uvicorn_serving


@pytest.fixture
async def served(
    api: httpx.AsyncClient, clean_runtime: Runtime, settings: Settings
) -> AsyncIterator[str]:
    app = ZeroCopyApp(create_app(settings, run_worker=False, runtime=clean_runtime))
    async with uvicorn_serving(app) as url:
        yield url


async def test_ranges_over_real_http(served: str, clean_runtime: Runtime, media: Media) -> None:
    token = signer(clean_runtime).issue(USER, file_scope(media.file_id))
    url = f"{served}/api/v1/stream/{media.file_id}"
    size = len(CONTENT)
    async with httpx.AsyncClient(params={"token": token}) as http:
        whole = await http.get(url)
        assert (whole.status_code, whole.content) == (200, CONTENT)
        for header, expected in (
            ("bytes=100-199", CONTENT[100:200]),
            ("bytes=-10", CONTENT[-10:]),
            (f"bytes={size - 3}-", CONTENT[-3:]),
        ):
            r = await http.get(url, headers={"range": header})
            assert (r.status_code, r.content) == (206, expected), header
        beyond = await http.get(url, headers={"range": f"bytes={size}-"})
        assert (beyond.status_code, beyond.headers["content-range"]) == (416, f"bytes */{size}")
        head = await http.head(url)
        assert (head.status_code, head.headers["content-length"]) == (200, str(size))
        # The connection stays usable after many sendfile responses (keep-alive).
        for _ in range(20):
            assert (await http.get(url, headers={"range": "bytes=0-0"})).content == CONTENT[:1]


async def test_client_going_away_mid_file_leaves_server_working(
    served: str, clean_runtime: Runtime, media: Media
) -> None:
    big = media.path.parent / "Big.mkv"
    big.write_bytes(b"\0" * (64 * 1024 * 1024))
    from revenge.testing.seed import add_file

    file_id = await add_file(clean_runtime, media.library_id, big)
    token = signer(clean_runtime).issue(USER, file_scope(file_id))
    url = f"{served}/api/v1/stream/{file_id}"
    async with httpx.AsyncClient(params={"token": token}) as http, http.stream("GET", url) as r:
        async for _ in r.aiter_bytes():
            break
    async with httpx.AsyncClient(params={"token": token}) as http:
        r = await http.get(url, headers={"range": "bytes=0-9"})
        assert (r.status_code, r.content) == (206, b"\0" * 10)
