"""Why an item is not matched is recorded, shown, and kept current; identify says it too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from revenge.features import collector
from revenge.metadata import MetadataFeature
from revenge.metadata.errors import ProviderUnavailable
from revenge.metadata.jobs import fetch
from revenge.metadata.wiring import build
from revenge.runtime import Runtime
from revenge.testing.seed import execute
from revenge.testing.services import free_port
from tests.libraries.conftest import (  # noqa: F401
    AS_ADMIN,
    LibraryMaker,
    Scanner,
    api,
    make_library,
    scan,
)
from tests.metadata.tv_support import ctx, queued, rows, run_fetches
from tests.support.media import make_video


@pytest.fixture
async def unreachable_tmdb(
    clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[MetadataFeature]:
    """TMDb at an address where nothing listens, failing fast."""
    previous = clean_runtime.metadata
    metadata = clean_runtime.settings.metadata
    monkeypatch.setattr(metadata, "tmdb_base_url", f"http://127.0.0.1:{free_port()}/3")
    monkeypatch.setattr(metadata, "max_retries", 0)
    monkeypatch.setattr(metadata, "breaker_failures", 0)
    feature = build(clean_runtime, collector())
    yield feature
    clean_runtime.metadata = previous


async def test_reason_is_shown_follows_a_stored_key_and_identify_agrees(
    clean_runtime: Runtime,
    unreachable_tmdb: MetadataFeature,
    api: httpx.AsyncClient,  # noqa: F811
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    make_video(tmp_path / "movies" / "The Matrix (1999)" / "The Matrix (1999).mkv")
    await scan(await make_library("movie", tmp_path / "movies"))
    await run_fetches(clean_runtime)
    (movie,) = await rows(clean_runtime, "SELECT id FROM movies")
    url = f"/api/v1/movies/{movie['id']}"

    detail = (await api.get(url, headers=AS_ADMIN)).json()
    assert detail["metadata_status"] == "unmatched"
    assert "tmdb" in detail["metadata_reason"] and "key" in detail["metadata_reason"]
    # Identify says the same thing, rather than "no candidates".
    search = await api.get(f"{url}/identify", headers=AS_ADMIN)
    assert search.status_code == 400, search.text
    assert "tmdb" in search.json()["detail"] and "key" in search.json()["detail"]

    await execute(clean_runtime, "DELETE FROM pgqueuer WHERE entrypoint = 'metadata.fetch'")
    stored = await api.put(
        "/api/v1/admin/credentials/tmdb", json={"value": "k" * 32}, headers=AS_ADMIN
    )
    assert stored.status_code == 200
    (again,) = queued(clean_runtime, "metadata.fetch")  # fetched again now the key exists
    assert again["item_ids"] == [f"movie:{movie['id']}"]
    with pytest.raises(ProviderUnavailable):  # the job's own retries take it from here
        await fetch(ctx(clean_runtime), again)

    detail = (await api.get(url, headers=AS_ADMIN)).json()
    assert "key" not in detail["metadata_reason"], detail["metadata_reason"]
    assert "tmdb" in detail["metadata_reason"] and "again" in detail["metadata_reason"]
    search = await api.get(f"{url}/identify", headers=AS_ADMIN)
    assert search.status_code == 503, search.text
    assert search.headers["content-type"].startswith("application/problem+json")
    assert "tmdb" in search.json()["detail"]
