"""A local TMDb and TheTVDB for TV catalogue tests, and helpers reading the TV tables."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import text

from revenge.infra.jobs.context import JobContext
from revenge.metadata.jobs import fetch
from revenge.runtime import Runtime
from revenge.testing.fake_api import FakeApi, Reply, Seen, fake_api, fixture
from tests.metadata.test_catalog_wiring import queued

TVSHOW_NFO = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<tvshow><title>Breaking Bad</title><year>2008</year>
<uniqueid type="tmdb" default="true">1396</uniqueid></tvshow>
"""
EPISODE_NFO = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<episodedetails><title>Pilot (Extended Cut)</title><season>1</season><episode>1</episode>
<plot>A chemistry teacher's first day in a new business.</plot>
<actor><name>Aaron Paul</name><role>Jesse Pinkman</role><order>0</order></actor>
</episodedetails>
"""
_SEARCHES = {"breaking bad": "tmdb/search_tv_breaking_bad", "the office": "tmdb/search_tv_office"}


def _search(seen: Seen) -> Reply:
    name = _SEARCHES.get(seen.query.get("query", "").lower())
    if name is None:
        return Reply(body={"page": 1, "results": [], "total_pages": 1, "total_results": 0})
    return Reply(body=fixture(name))


def tmdb_tv_server() -> Iterator[FakeApi]:
    """TMDb answering TV searches, details and seasons; images served by itself."""
    with fake_api() as server:
        config = fixture("tmdb/configuration")
        config["images"]["secure_base_url"] = f"{server.url}/img/"
        server.on("GET", "/configuration", Reply(body=config))
        server.on("GET", "/search/tv", _search)
        for show in ("1396", "2316"):
            server.json(f"/tv/{show}", f"tmdb/tv_{show}")
            server.json(f"/tv/{show}/season/1", f"tmdb/tv_{show}_season_1")
        yield server


def _tvdb_episodes(order: str) -> Any:
    def handler(seen: Seen) -> Reply:
        if order == "default":
            return Reply(body=fixture(f"tvdb/episodes_default_page{seen.query.get('page', '0')}"))
        return Reply(body=fixture(f"tvdb/episodes_{order}"))

    return handler


def tvdb_server() -> Iterator[FakeApi]:
    with fake_api() as server:
        server.json("/login", "tvdb/login", method="POST")
        server.json("/series/81189/extended", "tvdb/series_81189_extended")
        for order in ("default", "absolute", "dvd"):
            server.on("GET", f"/series/81189/episodes/{order}", _tvdb_episodes(order))
        yield server


def ctx(runtime: Runtime) -> JobContext:
    return JobContext(runtime=runtime, job_id=0, task="metadata.fetch", attempt=1)


async def run_fetches(runtime: Runtime) -> None:
    """Run every queued `metadata.fetch` job once, in queue order."""
    for job in queued(runtime, "metadata.fetch"):
        await fetch(ctx(runtime), job)


async def rows(runtime: Runtime, sql: str, **params: Any) -> list[dict[str, Any]]:
    async with runtime.db.transaction() as session:
        return [dict(r._mapping) for r in await session.execute(text(sql), params)]


async def series_by_title(runtime: Runtime) -> dict[str, dict[str, Any]]:
    """Series keyed by the folder they were scanned from (the scanned title)."""
    found = await rows(runtime, "SELECT * FROM series")
    return {r["group_key"].split("|")[0]: r for r in found}


async def episodes_of(runtime: Runtime, series_id: Any) -> dict[tuple[int, int], dict[str, Any]]:
    found = await rows(runtime, "SELECT * FROM episodes WHERE series_id = :s", s=series_id)
    return {(r["season_number"], r["number"]): r for r in found}


def write_show(root: Path, folder: str, files: list[str]) -> Path:
    from tests.support.media import make_video

    show = root / folder
    for name in files:
        make_video(show / "Season 01" / name)
    return show
