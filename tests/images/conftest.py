"""An image service whose guard allowlists the loopback test server (only 127.0.0.1)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from revenge.config import ImageSettings
from revenge.images.fetch import SafeFetcher
from revenge.images.service import ImageService
from revenge.infra.http import Allowlist
from revenge.infra.storage import LocalStorage
from revenge.runtime import Runtime
from revenge.testing.fake_api import FakeApi, fake_api


@pytest.fixture
def server() -> Iterator[FakeApi]:
    with fake_api() as api:
        yield api


@pytest.fixture
async def images(clean_runtime: Runtime, tmp_path: Path) -> AsyncIterator[ImageService]:
    settings = ImageSettings(max_download_bytes=2 * 1024 * 1024)
    fetcher = SafeFetcher(Allowlist.parse(["127.0.0.1"]), timeout=5)
    service = ImageService(LocalStorage(tmp_path / "data"), settings, fetcher)
    previous = clean_runtime.images
    clean_runtime.images = service
    yield service
    await fetcher.aclose()
    if previous is None:
        clean_runtime.images = None
    else:
        clean_runtime.images = previous
