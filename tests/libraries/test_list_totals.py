"""List totals are cached, yet follow every change of the catalogue at once."""

from __future__ import annotations

from pathlib import Path

import httpx

from revenge.runtime import Runtime
from tests.libraries.conftest import AS_ADMIN, LibraryMaker, Scanner
from tests.libraries.helpers import age_missing, run_cleanup
from tests.support.media import make_video


async def _total(api: httpx.AsyncClient, **params: str) -> int:
    response = await api.get("/api/v1/movies", params=params, headers=AS_ADMIN)
    assert response.status_code == 200, response.text
    total: int = response.json()["total"]
    return total


async def test_totals_follow_scans_purges_and_library_deletion(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "movies"
    make_video(root / "Heat (1995).mkv")
    make_video(root / "Alien (1979).mkv")
    library = await make_library("movie", root)
    await scan(library)
    assert await _total(api) == 2
    assert await _total(api, year_from="1990") == 1
    assert await _total(api) == 2  # now answered from the cache

    make_video(root / "Ronin (1998).mkv")
    await scan(library)
    assert await _total(api) == 3
    assert await _total(api, year_from="1990") == 2

    (root / "Heat (1995).mkv").unlink()
    await scan(library)
    assert await _total(api) == 3  # missing, not yet purged
    await age_missing(clean_runtime, 73)
    await run_cleanup(clean_runtime)
    assert await _total(api) == 2

    deleted = await api.delete(f"/api/v1/libraries/{library['id']}", headers=AS_ADMIN)
    assert deleted.status_code == 204
    assert await _total(api) == 0
