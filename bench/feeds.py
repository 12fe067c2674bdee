"""Podcast feeds and *arr hooks: parse time, poll cost (200 and 304), hook rate and coalescing.

Run: `.venv/bin/python bench/feeds.py [FEEDS] [HOOKS]` (uses REVENGE_BENCH_DATABASE_URL or
REVENGE_TEST_DATABASE_URL when set, else an embedded PostgreSQL). Feeds are served by a
local HTTP server (allowlisted as the tests do); nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from _common import scratch_database

from revenge.config import Settings
from revenge.infra.db import migrate
from revenge.infra.http.fetch import FetchResult
from revenge.infra.jobs.context import JobContext
from revenge.integrations import repository as repo
from revenge.integrations import service
from revenge.integrations.feeds import parse_feed
from revenge.integrations.jobs import refresh, scan_requested
from revenge.runtime import Runtime
from revenge.testing.http_server import LoopbackServer, Received, Reply

ITEMS = 300


def rss(title: str, items: int) -> bytes:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    body = "".join(
        f"<item><title>Episode {i}</title><guid>{title}-{i}</guid>"
        f"<pubDate>{format_datetime(start + timedelta(days=i))}</pubDate>"
        f"<description><![CDATA[<p>Notes for <b>episode {i}</b>, with links.</p>]]></description>"
        f'<enclosure url="https://cdn.example/{title}/{i}.mp3" length="123456" type="audio/mpeg"/>'
        f"<itunes:duration>45:12</itunes:duration></item>"
        for i in range(items)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/'
        f'podcast-1.0.dtd"><channel><title>{title}</title><description>d</description>'
        f"{body}</channel></rss>"
    ).encode()


def bench_parse() -> None:
    document = rss("show", ITEMS)
    result = FetchResult(200, None, document, "https://example.com/feed", 0.0)  # type: ignore[arg-type]
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        parse_feed(result)
        samples.append(time.perf_counter() - started)
    print(f"parse: {ITEMS}-item feed ({len(document) / 1024:.0f} KiB): "
          f"{statistics.median(samples) * 1000:.1f} ms median of 5")  # fmt: skip


async def bench_polls(runtime: Runtime, library_id: uuid.UUID, feeds: int) -> None:
    documents = {f"/f{i}.xml": rss(f"show{i}", 30) for i in range(feeds)}

    def answer(request: Received) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", {"ETag": '"v1"'})
        return Reply(200, documents[request.path], {"ETag": '"v1"'})

    async with LoopbackServer(answer) as server:
        ids = []
        async with runtime.db.transaction() as session:
            for path in documents:
                feed = await repo.add_feed(
                    session, url=f"{server.url}{path}", library_id=library_id, mode="stream"
                )
                ids.append(feed.id)
        for label in ("first poll (200, 30 new items each)", "next poll (304)"):
            started = time.perf_counter()
            for feed_id in ids:
                await refresh(JobContext(runtime, 0, "podcasts.refresh", 1),
                              {"feed_id": str(feed_id)})  # fmt: skip
            elapsed = time.perf_counter() - started
            print(f"poll, {label}: {elapsed / feeds * 1000:.1f} ms per feed ({feeds} feeds)")


async def bench_hooks(runtime: Runtime, library_id: uuid.UUID, root: Path, hooks: int) -> None:
    from revenge.integrations.models import Integration

    async with runtime.db.transaction() as session:
        integration, _ = await service.create_integration(session, "bench", "sonarr", [], True)
    folders = [root / f"Show {i}" / "Season 01" for i in range(10)]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for i in range(hooks):
        folder = folders[i % len(folders)]
        payload = {
            "eventType": "Download",
            "series": {"path": str(folder.parent)},
            "episodeFile": {"relativePath": f"Season 01/e{i}.mkv"},
        }
        async with runtime.db.transaction() as session:
            found = await session.get(Integration, integration.id)
            assert found is not None
            await service.handle_hook(session, runtime.jobs, found, payload, 10.0)
    elapsed = time.perf_counter() - started
    print(f"hooks: {hooks} Sonarr imports over {len(folders)} folders: "
          f"{hooks / elapsed:,.0f} hooks/s handled (secret check excluded)")  # fmt: skip
    await scan_requested(JobContext(runtime, 0, "integrations.scan_requested", 1), {"window": True})
    async with runtime.db.sessions() as session:
        from sqlalchemy import text

        scans = (await session.execute(text("SELECT folders FROM library_scans"))).all()
    print(f"hooks: coalesced into {len(scans)} scan(s) of {len(scans[0][0])} folder(s)")


async def run(url: str, feeds: int, hooks: int) -> None:
    data = Path(tempfile.mkdtemp())
    settings = Settings(
        data_dir=data,
        database_url=url,
        scanning={"realtime": False, "interval_hours": 0},  # type: ignore[arg-type]
        http={"outbound_allowlist": ["127.0.0.1"]},  # type: ignore[arg-type]
    )
    runtime = await Runtime.create(settings, apply_migrations=False)
    try:
        async with runtime.db.transaction() as session:
            from revenge.libraries import repository as libraries

            podcasts = await libraries.add_library(
                session, {"name": "Podcasts", "type": "podcast"}, [str(data / "podcasts")]
            )
            tv = await libraries.add_library(
                session, {"name": "TV", "type": "tv"}, [str(data / "tv")]
            )
        await bench_polls(runtime, podcasts.id, feeds)
        await bench_hooks(runtime, tv.id, data / "tv", hooks)
    finally:
        await runtime.close()


def main() -> None:
    feeds = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    hooks = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    bench_parse()
    with scratch_database() as url:
        migrate.upgrade(url)
        asyncio.run(run(url, feeds, hooks))


if __name__ == "__main__":
    main()
