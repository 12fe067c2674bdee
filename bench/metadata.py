"""Items/s enriched (search + details) through the TMDb client from a local server with 50 ms
latency: with the configured rate limit, and with the limit lifted to show our own ceiling.

    python bench/metadata.py
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT / "src"), str(REPO_ROOT)]

import httpx

from revenge.config import MetadataSettings
from revenge.metadata.http import ProviderHttp
from revenge.metadata.providers.tmdb import TmdbProvider
from revenge.metadata.ratelimit import Limit, MemoryRateLimiter
from revenge.metadata.registry import provider_policies
from revenge.testing import StaticKeys
from revenge.testing.fake_api import fake_api

LATENCY = 0.05
WORKERS = 16


async def enrich_all(provider: TmdbProvider, items: int) -> float:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(items):
        queue.put_nowait(n)

    async def worker() -> None:
        while not queue.empty():
            n = queue.get_nowait()
            found = await provider.search_movie(f"The Matrix {n}", 1999, "en-US")
            await provider.movie_details(found[0].provider_id, "en-US")

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(WORKERS)))
    return items / (time.perf_counter() - start)


async def run(url: str, limit: Limit, items: int) -> float:
    policy = replace(
        provider_policies(MetadataSettings())["tmdb"], base_url=url, limit=limit, cache_ttl=0
    )
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=64)) as client:
        http = ProviderHttp(client, policy, MemoryRateLimiter(), None)
        provider = TmdbProvider(http, StaticKeys(tmdb="0" * 32))
        await provider.image_base()
        return await enrich_all(provider, items)


def main() -> None:
    settings = MetadataSettings()
    configured = Limit.per_second(settings.tmdb_rate_per_second)
    with fake_api(latency=LATENCY) as api:
        api.json("/configuration", "tmdb/configuration")
        api.json("/search/movie", "tmdb/search_movie_matrix")
        api.json("/movie/603", "tmdb/movie_603")
        bound = configured.count / configured.window / 2  # two requests per item
        limited = asyncio.run(run(api.url, configured, 60))
        print(
            f"configured limit {settings.tmdb_rate_per_second:.0f} req/s, {LATENCY * 1000:.0f} ms"
            f" latency, {WORKERS} workers: {limited:.1f} items/s (rate-limit bound {bound:.1f})"
        )
        ceiling = WORKERS / (2 * LATENCY)
        unlimited = asyncio.run(run(api.url, Limit(100_000, 1.0), 400))
        print(
            f"limit lifted: {unlimited:.1f} items/s (latency bound with {WORKERS} workers:"
            f" {ceiling:.0f} items/s)"
        )


if __name__ == "__main__":
    main()
