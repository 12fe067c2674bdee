"""A metadata provider that hangs, one that trickles, and one that answers 500 for a while.

`metadata.fetch` jobs are worked by a real `revenge worker` process over the real catalogue;
TMDb is a loopback server that, by the movie asked for, never answers, sends its answer one
byte at a time, or fails with HTTP 500 three times before answering properly. The hanging and
trickling calls must end at the configured timeout, so their jobs end (failed, after their
attempts) instead of holding a worker forever; the 500s are retried with backoff until the
movie is matched; and other work goes on meanwhile.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from revenge.runtime import Runtime
from revenge.testing.fake_api import FakeApi, Reply, Seen, fake_api, fixture
from revenge.testing.processes import lines, revenge_env, start_revenge, wait_for
from tests.libraries.conftest import LibraryMaker, Scanner, api, make_library, scan  # noqa: F401

TIMEOUT = 0.5  # metadata.request_timeout_seconds
RETRIES = 1  # metadata.max_retries: each call is sent at most twice
RETRY_BASE = 0.2  # metadata.retry_base_seconds (between the two sends)
JOB_RETRY_BASE = 0.2  # jobs.retry_base_seconds (between attempts of a job; doubles)
ATTEMPTS = 5  # metadata.fetch's max_attempts
FAILING = 3  # the Matrix search fails this many times before it is answered


class Tmdb:
    """Behaviour per searched title; every search is kept as (title, status, time)."""

    def __init__(self, server: FakeApi) -> None:
        self.api = server
        self.release = threading.Event()
        self.searches: list[tuple[str, int, float]] = []
        self._lock = threading.Lock()
        server.json("/configuration", "tmdb/configuration")
        server.json("/movie/603", "tmdb/movie_603")
        server.on("GET", "/search/movie", self.search)

    def search(self, seen: Seen) -> Reply:
        title = seen.query.get("query", "")
        with self._lock:
            failed = sum(1 for t, s, _ in self.searches if t == title and s == 500)
            reply = Reply(body=fixture("tmdb/search_movie_matrix"))
            if title.startswith("Hanging"):
                reply = Reply(status=0)
            elif title.startswith("Slow Drip"):
                reply.trickle = 0.1  # a ~3 KB answer over minutes, a byte well within the timeout
            elif failed < FAILING:
                reply = Reply(500, fixture("tmdb/error_500"))
            self.searches.append((title, reply.status, time.monotonic()))
        if reply.status == 0:
            self.release.wait(60)  # accept the request and never answer it
            return Reply(503, b"")
        return reply

    def of(self, prefix: str) -> list[tuple[int, float]]:
        with self._lock:
            return [(s, at) for t, s, at in self.searches if t.startswith(prefix)]


@pytest.fixture
def tmdb() -> Iterator[Tmdb]:
    with fake_api() as server:
        fake = Tmdb(server)
        try:
            yield fake
        finally:
            fake.release.set()


@pytest.fixture
def start_worker(
    clean_runtime: Runtime, tmdb: Tmdb, database_url: str, tmp_path: Path
) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    env = revenge_env(
        REVENGE_DATABASE_URL=database_url,
        REVENGE_DATA_DIR=str(tmp_path / "data"),
        # The key stored by the test is sealed with the test runtime's master key.
        REVENGE_SECRET_KEY_FILE=str(clean_runtime.settings.key_file),
        REVENGE_JOBS__EXTRA_MODULES=json.dumps(["revenge.testing.jobs_plugin"]),
        REVENGE_JOBS__RETRY_BASE_SECONDS=str(JOB_RETRY_BASE),
        REVENGE_JOBS__POLL_SECONDS="0.2",
        REVENGE_METADATA__TMDB_BASE_URL=tmdb.api.url,
        REVENGE_METADATA__REQUEST_TIMEOUT_SECONDS=str(TIMEOUT),
        REVENGE_METADATA__MAX_RETRIES=str(RETRIES),
        REVENGE_METADATA__RETRY_BASE_SECONDS=str(RETRY_BASE),
        # Every call must reach the server here, to time it; the breaker that stops calling
        # a provider that keeps failing is tested on its own (tests/metadata/test_breaker.py).
        REVENGE_METADATA__BREAKER_FAILURES="0",
    )
    env.pop("REVENGE_REDIS_URL", None)
    log = tmp_path / "worker.log"
    procs: list[subprocess.Popen[bytes]] = []

    def start(**settings: str) -> subprocess.Popen[bytes]:
        extra = {f"REVENGE_METADATA__{k.upper()}": v for k, v in settings.items()}
        proc = start_revenge(["worker", "--queues", "metadata,maintenance"], env | extra, log)
        procs.append(proc)
        wait_for(lambda: log.exists() and "worker running" in log.read_text(), 30, "worker")
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def query(url: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql, args)
        return list(cur) if cur.description else []


def enqueue(url: str, task: str, payload: dict[str, Any]) -> int:
    row = query(
        url,
        "INSERT INTO pgqueuer (priority, entrypoint, payload, status)"
        " VALUES (0, %s, %s, 'queued') RETURNING id",
        task,
        json.dumps(payload).encode(),
    )
    return int(row[0][0])


def job_state(url: str, job_id: int) -> str:
    """`queued`/`picked`/`failed` while in the queue, else its last logged status."""
    active = query(url, "SELECT status::text FROM pgqueuer WHERE id = %s", job_id)
    if active:
        return str(active[0][0])
    logged = query(
        url, "SELECT status::text FROM pgqueuer_log WHERE job_id = %s ORDER BY id DESC", job_id
    )
    return str(logged[0][0]) if logged else "unknown"


async def test_hanging_and_failing_provider_calls_end_and_other_work_goes_on(
    clean_runtime: Runtime,
    api: httpx.AsyncClient,  # noqa: F811
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmdb: Tmdb,
    start_worker: Callable[..., subprocess.Popen[bytes]],
    database_url: str,
    tmp_path: Path,
) -> None:
    root = tmp_path / "movies"
    for name in ("The Matrix (1999)", "Hanging Gardens (2001)", "Slow Drip (2002)"):
        (root / name).mkdir(parents=True)
        (root / name / f"{name}.mkv").write_bytes(name.encode() * 64)
    await scan(await make_library("movie", root))
    async with clean_runtime.db.transaction() as session:
        await clean_runtime.credentials.put(session, "tmdb", "k" * 32, None)
    movies = {title: str(i) for i, title in query(database_url, "SELECT id, title FROM movies")}
    assert set(movies) == {"The Matrix", "Hanging Gardens", "Slow Drip"}
    query(database_url, "DELETE FROM pgqueuer")  # the scan's follow-ups; one job per movie here

    jobs = {
        title: enqueue(database_url, "metadata.fetch", {"item_id": f"movie:{movie_id}"})
        for title, movie_id in movies.items()
    }
    started = time.monotonic()
    proc = start_worker()

    # While two calls hang, other work runs: a maintenance job, and the Matrix gets matched.
    wait_for(lambda: len(tmdb.of("Hanging")) >= 1, 20, "the hanging call to be made")
    out = tmp_path / "other.txt"
    other = enqueue(database_url, "testing.record", {"path": str(out)})
    wait_for(lambda: any(x.startswith("done") for x in lines(out)), 10, "other work to run")
    wait_for(lambda: job_state(database_url, jobs["The Matrix"]) == "successful", 20, "Matrix")
    assert job_state(database_url, jobs["Hanging Gardens"]) in ("queued", "picked")
    assert job_state(database_url, other) == "successful"
    matrix = query(
        database_url,
        "SELECT tmdb_id, metadata_status, overview FROM movies WHERE id = %s",
        movies["The Matrix"],
    )[0]
    assert matrix[:2] == ("603", "matched") and matrix[2].startswith("Set in the 22nd century")

    # The 500s were retried with backoff: sent again no sooner than the retry delay.
    calls = tmdb.of("The Matrix")
    assert [s for s, _ in calls] == [500] * FAILING + [200]
    gaps = [b - a for (_, a), (_, b) in itertools.pairwise(calls)]
    assert all(g >= RETRY_BASE * 0.9 for g in gaps), gaps

    # Each hanging or trickling call ended at the timeout and was retried; after its
    # attempts the job is held as failed, with the timeout as its error: nothing stuck.
    for title in ("Hanging Gardens", "Slow Drip"):
        wait_for(lambda t=title: job_state(database_url, jobs[t]) == "failed", 30, title)
        sent = [at for _, at in tmdb.of(title.split()[0])]
        assert len(sent) == ATTEMPTS * (RETRIES + 1), (title, len(sent))
        within = [b - a for a, b in zip(sent[::2], sent[1::2], strict=True)]
        assert all(g < TIMEOUT + RETRY_BASE * 1.25 + 0.4 for g in within), (title, within)
        (error,) = query(
            database_url,
            "SELECT traceback FROM pgqueuer_log WHERE job_id = %s AND status = 'failed'",
            jobs[title],
        )[0]
        assert "timed out" in json.dumps(error), error
    took = time.monotonic() - started
    assert proc.poll() is None, "the worker died"
    print(f"hanging jobs ended after {took:.1f}s")


async def test_batch_with_a_hanging_provider_ends_quickly_and_is_fetched_later(
    clean_runtime: Runtime,
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmdb: Tmdb,
    start_worker: Callable[..., subprocess.Popen[bytes]],
    database_url: str,
    tmp_path: Path,
) -> None:
    """With the breaker on, a batch whose provider hangs is not held for count x timeouts."""
    root = tmp_path / "movies"
    count = 30
    for n in range(count):
        name = f"Hanging Garden {n} (2001)"
        (root / name).mkdir(parents=True)
        (root / name / f"{name}.mkv").write_bytes(name.encode() * 64)
    await scan(await make_library("movie", root))
    async with clean_runtime.db.transaction() as session:
        await clean_runtime.credentials.put(session, "tmdb", "k" * 32, None)
    refs = [f"movie:{i}" for (i,) in query(database_url, "SELECT id FROM movies")]
    query(database_url, "DELETE FROM pgqueuer")
    batch = enqueue(database_url, "metadata.fetch", {"item_ids": refs})
    started = time.monotonic()
    # Each failed call costs TIMEOUT * 2 + RETRY_BASE = 1.2 s: 36 s for the batch without it.
    start_worker(
        breaker_failures="2",
        breaker_cooldown_seconds="60",
        retry_later_seconds="600",
        fetch_concurrency="8",
    )
    wait_for(lambda: job_state(database_url, batch) == "successful", 20, "the batch to end")
    took = time.monotonic() - started
    # Items are fetched side by side (metadata.fetch_concurrency, 8 here): the calls in
    # flight when the breaker opens, and those of the slots that started as it opened, fail;
    # then no more are made. Without the breaker every item would be tried: count x attempts.
    sent = len(tmdb.of("Hanging"))
    assert 2 * (RETRIES + 1) <= sent <= count * (RETRIES + 1) // 2, sent

    # Every item is left for a follow-up fetch after the delay; none is marked unmatched.
    (follow_up,) = query(
        database_url,
        "SELECT payload, execute_after - now() FROM pgqueuer WHERE entrypoint = 'metadata.fetch'",
    )
    assert sorted(json.loads(bytes(follow_up[0]))["item_ids"]) == sorted(refs)
    assert 500 < follow_up[1].total_seconds() <= 600
    statuses = {s for (s,) in query(database_url, "SELECT metadata_status FROM movies")}
    assert not statuses & {"unmatched", "ambiguous"}, statuses
    print(f"batch of {count} with a hanging provider ended after {took:.1f}s")
