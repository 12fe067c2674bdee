"""Circuit breakers: a provider that is down is not called until a trial after the cool-down.

Against a loopback provider that hangs, fails with 500 or answers, switched by the test; the
breaker is the in-process one, the Redis one (shared by two "workers") and the Redis one with
Redis unreachable (falling back per process). The last test runs a `metadata.fetch` batch over
the real catalogue with TMDb hanging.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy import text

from revenge.features import collector
from revenge.metadata import MetadataFeature
from revenge.metadata.breaker import (
    BreakerPolicy,
    MemoryCircuitBreaker,
    ProviderCircuitOpen,
    RedisCircuitBreaker,
    read_breakers,
)
from revenge.metadata.errors import (
    ProviderAuthError,
    ProviderNotFound,
    ProviderUnavailable,
)
from revenge.metadata.http import ProviderHttp
from revenge.metadata.jobs import fetch
from revenge.runtime import Runtime
from revenge.testing.fake_api import FakeApi, Reply, Seen, fake_api, fixture
from revenge.wiring.metadata import build
from tests.libraries.conftest import LibraryMaker, Scanner, api, make_library, scan  # noqa: F401
from tests.metadata.conftest import provider_http
from tests.metadata.test_catalog_wiring import ctx, movies, queued, store_tmdb_key
from tests.ops.test_doctor_and_backup import revenge as doctor
from tests.support.media import make_video
from tests.support.waiting import eventually

COOLDOWN = 0.5
RULES = BreakerPolicy(failures=3, cooldown=COOLDOWN, trial=5.0)


class Provider:
    """A loopback provider whose every route hangs, fails, or answers, as `mode` says."""

    def __init__(self, server: FakeApi) -> None:
        self.api = server
        self.mode = "hang"
        self.release = threading.Event()
        self.answers = {
            "/configuration": "tmdb/configuration",
            "/movie/603": "tmdb/movie_603",
            "/search/movie": "tmdb/search_movie_matrix",
            "/thing": "tmdb/configuration",
        }
        for path in self.answers:
            server.on("GET", path, self.answer)

    def answer(self, seen: Seen) -> Reply:
        if self.mode == "hang":
            self.release.wait(20)  # accept the request and never answer in time
            return Reply(503, b"")
        if self.mode in ("500", "404", "401"):
            return Reply(int(self.mode), fixture(f"tmdb/error_{self.mode}"))
        return Reply(body=fixture(self.answers[seen.path]))

    def sent(self) -> int:
        return len(self.api.calls())

    async def arrived(self, count: int) -> int:
        """How many requests arrived, once `count` have or after 5 s: a request the client
        gave up on (timed out) can still be on its way to the server's thread."""

        async def enough() -> bool:
            return self.sent() >= count

        with contextlib.suppress(AssertionError):
            await eventually(enough, timeout=5.0)
        return self.sent()


@pytest.fixture
def provider() -> Iterator[Provider]:
    with fake_api() as server:
        fake = Provider(server)
        try:
            yield fake
        finally:
            fake.release.set()


@pytest.fixture(params=["memory", "redis", "redis-down"])
async def breaker(
    request: pytest.FixtureRequest, redis_url: str
) -> AsyncIterator[MemoryCircuitBreaker | RedisCircuitBreaker]:
    if request.param == "memory":
        yield MemoryCircuitBreaker()
        return
    # Port 1: nothing listens there, so every Redis call fails and the breaker falls back.
    url = redis_url if request.param == "redis" else "redis://127.0.0.1:1/0"
    shared = RedisCircuitBreaker(url, f"revenge-test-{uuid.uuid4().hex[:8]}:")
    yield shared
    await shared.close()


# Long enough for an answer that is due (a 500, a 200) on a loaded two-core machine: at 0.2 s
# a trial call timed out once while the whole suite ran, and failed its check for the 500.
TIMEOUT = 0.5


def http_of(
    provider: Provider, client: httpx.AsyncClient, circuit: Any, rules: BreakerPolicy = RULES
) -> ProviderHttp:
    return provider_http(
        client, "tmdb", provider.api.url, circuit=circuit, timeout=TIMEOUT, max_retries=1,
        breaker=rules,
    )  # fmt: skip


async def call(http: ProviderHttp) -> float:
    started = time.monotonic()
    await http.get_json("/thing", cache=False)
    return time.monotonic() - started


async def test_opens_after_failed_calls_fails_fast_and_a_trial_decides(
    provider: Provider,
    http_client: httpx.AsyncClient,
    breaker: MemoryCircuitBreaker | RedisCircuitBreaker,
) -> None:
    http = http_of(provider, http_client, breaker)
    for _ in range(RULES.failures):
        with pytest.raises(ProviderUnavailable, match="timed out") as caught:
            await call(http)
        assert not isinstance(caught.value, ProviderCircuitOpen)
    assert await provider.arrived(RULES.failures * 2) == RULES.failures * 2  # retried once

    # Open: the call fails at once, nothing is sent, and the error says for how long.
    started = time.monotonic()
    with pytest.raises(ProviderCircuitOpen, match="down") as opened:
        await call(http)
    assert time.monotonic() - started < 0.1
    assert 0 < opened.value.retry_after <= COOLDOWN
    assert provider.sent() == RULES.failures * 2

    # After the cool-down one trial call is sent, once, without retries; it fails: open again.
    provider.mode = "500"
    time.sleep(COOLDOWN + 0.1)
    with pytest.raises(ProviderUnavailable, match="HTTP 500") as trial:
        await call(http)
    assert not isinstance(trial.value, ProviderCircuitOpen)
    assert provider.sent() == RULES.failures * 2 + 1
    with pytest.raises(ProviderCircuitOpen):
        await call(http)

    # The next trial succeeds: closed, every call goes through again.
    provider.mode = "ok"
    time.sleep(COOLDOWN + 0.1)
    for _ in range(3):
        await call(http)
    assert provider.sent() == RULES.failures * 2 + 4

    # Only failures in a row count: an answer in between starts the count again.
    for mode in ("500", "500", "ok", "500", "500"):
        provider.mode = mode
        try:
            await call(http)
        except ProviderUnavailable as exc:
            assert not isinstance(exc, ProviderCircuitOpen)
    with pytest.raises(ProviderUnavailable, match="HTTP 500"):
        await call(http)  # the third failure in a row: it was sent, and it opens the breaker
    with pytest.raises(ProviderCircuitOpen):
        await call(http)


async def test_not_found_and_bad_key_are_answers_not_outages(
    provider: Provider, http_client: httpx.AsyncClient
) -> None:
    http = http_of(provider, http_client, MemoryCircuitBreaker())
    for mode, error in (("404", ProviderNotFound), ("401", ProviderAuthError)):
        provider.mode = mode
        for _ in range(RULES.failures + 1):
            with pytest.raises(error):
                await call(http)
    provider.mode = "ok"
    await call(http)
    assert provider.sent() == 2 * (RULES.failures + 1) + 1


async def test_redis_breaker_is_shared_by_workers_and_shown_by_doctor(
    provider: Provider, http_client: httpx.AsyncClient, redis_url: str
) -> None:
    prefix = f"revenge-test-{uuid.uuid4().hex[:8]}:"
    one, two = RedisCircuitBreaker(redis_url, prefix), RedisCircuitBreaker(redis_url, prefix)
    try:
        first, second = http_of(provider, http_client, one), http_of(provider, http_client, two)
        for _ in range(RULES.failures):
            with pytest.raises(ProviderUnavailable):
                await call(first)
        sent = provider.sent()
        with pytest.raises(ProviderCircuitOpen):
            await call(second)  # the other worker learnt it from Redis
        assert provider.sent() == sent
        (state,) = read_breakers(redis_url, prefix)
        assert (state.provider, state.failures, state.state) == ("tmdb", RULES.failures, "open")

        provider.mode = "ok"
        time.sleep(COOLDOWN + 0.1)
        await call(second)  # the trial, from the other worker, closes it for both
        await call(first)
        assert read_breakers(redis_url, prefix) == []
    finally:
        await one.close()
        await two.close()


NFO = b"""<?xml version="1.0" encoding="UTF-8"?>
<movie><title>Local Film %d</title><year>2001</year><plot>Told by the NFO.</plot></movie>
"""


@pytest.fixture
async def wired(
    clean_runtime: Runtime, provider: Provider, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[MetadataFeature]:
    """The runtime's metadata feature calling the local TMDb, with short timeouts."""
    previous = clean_runtime.metadata
    for name, value in {
        "tmdb_base_url": provider.api.url,
        "request_timeout_seconds": 0.3,
        "max_retries": 1,
        "retry_base_seconds": 0.05,
        "breaker_failures": 3,
        "breaker_cooldown_seconds": 1.0,
        "retry_later_seconds": 1.0,
    }.items():
        monkeypatch.setattr(clean_runtime.settings.metadata, name, value)
    feature = build(clean_runtime, collector())
    yield feature
    clean_runtime.metadata = previous
    # The runtime (and its Redis prefix) outlives this test: leave no open breaker behind.
    settings = clean_runtime.settings
    assert settings.redis_url is not None
    client = redis.Redis.from_url(settings.redis_url)
    try:
        keys = list(client.scan_iter(match=settings.cache.redis_prefix + "breaker:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


async def test_batch_with_a_hanging_provider_finishes_fast_and_is_fetched_later(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    provider: Provider,
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    root = tmp_path / "movies"
    count, with_nfo = 40, 10
    for n in range(count):
        folder = root / f"Film {n} (2001) {{tmdb-603}}"
        make_video(folder / f"Film {n} (2001).mkv")
        if n < with_nfo:
            (folder / "movie.nfo").write_bytes(NFO % n)
    await store_tmdb_key(clean_runtime)
    await scan(await make_library("movie", root))
    async with clean_runtime.db.transaction() as session:
        await session.execute(text("DELETE FROM pgqueuer"))
    refs = [f"movie:{row['id']}" for row in (await movies(clean_runtime)).values()]
    assert len(refs) == count

    # TMDb hangs: each of the first calls waits out its timeout and retry (~0.65 s); then
    # the breaker opens and the other items skip TMDb at once. Without the breaker the batch
    # would take count * 0.65 s = 26 s.
    started = time.monotonic()
    await fetch(ctx(clean_runtime), {"item_ids": refs})
    took = time.monotonic() - started
    assert took < 8, took
    assert provider.sent() <= 2 * 3 + 2

    rows = await movies(clean_runtime)
    for n in range(count):
        row = rows[f"Film {n} (2001) {{tmdb-603}}"]
        if n < with_nfo:  # the NFO (the other source) was read and saved meanwhile
            assert (row["title"], row["overview"]) == (f"Local Film {n}", "Told by the NFO.")
            assert row["metadata_status"] == "local"
        else:  # nothing learned: left as it was, not listed as unmatched
            assert row["metadata_status"] not in ("unmatched", "ambiguous")
            assert row["metadata_fetched_at"] is None
    (later,) = queued(clean_runtime, "metadata.fetch")
    assert sorted(later["item_ids"]) == sorted(refs) and later["round"] == 1

    # TMDb is back; after the cool-down the follow-up job fetches every item.
    provider.mode = "ok"
    time.sleep(1.1)
    async with clean_runtime.db.transaction() as session:
        await session.execute(text("DELETE FROM pgqueuer"))
    await fetch(ctx(clean_runtime), later)
    rows = await movies(clean_runtime)
    assert {r["metadata_status"] for r in rows.values()} == {"matched"}
    assert {r["tmdb_id"] for r in rows.values()} == {"603"}
    assert rows["Film 0 (2001) {tmdb-603}"]["title"] == "Local Film 0"  # the NFO still wins
    assert rows["Film 30 (2001) {tmdb-603}"]["overview"].startswith("Set in the 22nd century")
    assert queued(clean_runtime, "metadata.fetch") == []
    print(f"batch of {count} with TMDb hanging: {took:.1f}s")


async def test_doctor_names_a_provider_taken_as_down(redis_url: str, tmp_path: Path) -> None:
    prefix = f"revenge-test-{uuid.uuid4().hex[:8]}:"
    shared = RedisCircuitBreaker(redis_url, prefix)
    env = {"REVENGE_REDIS_URL": redis_url, "REVENGE_CACHE__REDIS_PREFIX": prefix}
    env["REVENGE_DATA_DIR"] = str(tmp_path / "data")
    try:
        _, out = doctor(["doctor"], **env)
        assert "[ ok ] metadata providers" in out and "none taken as down" in out, out
        rules = BreakerPolicy()  # the defaults: 5 failures, 60 s
        for _ in range(rules.failures):
            await shared.failed("musicbrainz", rules)
        _, out = doctor(["doctor"], **env)
        line = next(x for x in out.splitlines() if "] metadata providers" in x)
        assert "[warn]" in line and "musicbrainz open after 5 failed calls in a row" in line
        assert "s left" in line and "fix:" in out
    finally:
        await shared.succeeded("musicbrainz", BreakerPolicy())
        await shared.close()


async def test_single_item_refused_by_an_open_breaker_is_fetched_later(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    provider: Provider,
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    root = tmp_path / "movies"
    for n in range(4):
        make_video(root / f"Film {n} (2001)" / f"Film {n} (2001).mkv")
    await store_tmdb_key(clean_runtime)
    await scan(await make_library("movie", root))
    async with clean_runtime.db.transaction() as session:
        await session.execute(text("DELETE FROM pgqueuer"))
    refs = [f"movie:{row['id']}" for row in (await movies(clean_runtime)).values()]
    # Timeouts: the job fails, for the queue's own retries with backoff.
    for ref in refs[:3]:
        with pytest.raises(ProviderUnavailable, match="timed out"):
            await fetch(ctx(clean_runtime), {"item_id": ref})
    assert queued(clean_runtime, "metadata.fetch") == []
    # Refused by the open breaker: those retries would all be spent within the cool-down,
    # so the job ends and a follow-up fetches the item after it.
    await fetch(ctx(clean_runtime), {"item_id": refs[3]})
    assert queued(clean_runtime, "metadata.fetch") == [{"item_ids": [refs[3]], "round": 1}]


async def test_an_item_over_its_deadline_is_fetched_later_and_the_batch_finishes(
    clean_runtime: Runtime, wired: MetadataFeature, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each item of a batch has its own deadline, counted from when it gets its slot; the
    job has none, so a batch waiting its turn behind others' items is never cut short."""
    import asyncio

    from revenge.metadata import jobs
    from revenge.metadata.tasks import fetch_metadata
    from revenge.metadata.writer import FetchOutcome

    assert fetch_metadata.timeout_seconds is None
    stuck, fine = f"movie:{uuid.uuid4()}", [f"movie:{uuid.uuid4()}" for _ in range(3)]
    done: list[str] = []

    async def fake_fetch_item(runtime: Runtime, feature: Any, item_id: str) -> FetchOutcome:
        if item_id == stuck:
            await asyncio.sleep(60)
        done.append(item_id)
        return FetchOutcome(item_id, "unmatched", None, "nothing")

    monkeypatch.setattr(jobs, "fetch_item", fake_fetch_item)
    monkeypatch.setattr(jobs, "ITEM_TIMEOUT_SECONDS", 0.2)
    async with clean_runtime.db.transaction() as session:
        await session.execute(text("DELETE FROM pgqueuer"))
    started = time.monotonic()
    await fetch(ctx(clean_runtime), {"item_ids": [stuck, *fine]})
    assert time.monotonic() - started < 5
    assert sorted(done) == sorted(fine)
    (later,) = queued(clean_runtime, "metadata.fetch")
    assert later["item_ids"] == [stuck] and later["round"] == 1
