"""Scale-out: two `revenge serve --no-worker` nodes and two `revenge worker` processes on one
PostgreSQL database and one Redis, started together on an empty database.

Checked for real, through the nodes' HTTP APIs: a session revoked through node A is refused by
node B at once although B had it cached; a server setting changed through A is read and
enforced by B; a scan queued through A is worked by exactly one worker and its items are seen
through B; the realtime watcher runs on exactly one node, and another node takes over when
that one is killed. Stored files are in S3-compatible object storage (moto's S3 API): a poster
beside a movie, stored by a worker, is served by an API node that has a data directory of its
own.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from revenge.libraries.watcher import WATCHER_LOCK
from revenge.testing.cluster import Cluster, Node, run_cluster
from revenge.testing.services import PrivateRedis, fresh_database
from tests.images.samples import encoded
from tests.support.media import make_video
from tests.support.object_storage import S3Server, s3_server
from tests.support.waiting import eventually

PASSWORD = "correct horse battery staple"
# Nothing listens on port 9: a metadata lookup fails at once instead of reaching the internet.
NOWHERE = "http://127.0.0.1:9"
METRICS_TOKEN = "scale-out-metrics-token"
POSTER = encoded("JPEG", (200, 300))


@pytest.fixture
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.fixture
def cluster(pg_server_url: str, tmp_path: Path, s3: S3Server) -> Iterator[tuple[Cluster, str]]:
    redis = PrivateRedis()
    redis.start()
    try:
        # Not migrated: four processes starting at once must agree on who migrates it.
        with fresh_database(pg_server_url, "revenge_scaleout") as database_url:
            common = {
                "REVENGE_DATABASE_URL": database_url,
                "REVENGE_REDIS_URL": redis.url,
                "REVENGE_CACHE__REDIS_PREFIX": f"scaleout-{uuid.uuid4().hex[:8]}:",
                "REVENGE_SCANNING__DEBOUNCE_SECONDS": "0.2",
                "REVENGE_METADATA__TMDB_BASE_URL": NOWHERE,
                "REVENGE_METADATA__TVDB_BASE_URL": NOWHERE,
                "REVENGE_METADATA__MUSICBRAINZ_BASE_URL": NOWHERE,
                "REVENGE_METADATA__MAX_RETRIES": "0",
                "REVENGE_SERVER__METRICS_TOKEN": METRICS_TOKEN,
                **s3.env(),
            }
            realtime = {"REVENGE_SCANNING__REALTIME": "true"}
            with run_cluster(tmp_path, common, api_env=realtime) as running:
                yield running, database_url
    finally:
        redis.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def login(client: httpx.AsyncClient) -> dict[str, Any]:
    resp = await client.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


async def me(client: httpx.AsyncClient, token: str) -> int:
    return (await client.get("/api/v1/users/me", headers=bearer(token))).status_code


async def local_cache_hits(client: httpx.AsyncClient) -> float:
    text = (await client.get("/metrics", headers=bearer(METRICS_TOKEN))).text
    found = re.search(r"^revenge_cache_local_hits (\S+)$", text, re.M)
    assert found is not None, "no revenge_cache_local_hits in /metrics"
    return float(found.group(1))


def query(database_url: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        return conn.execute(sql, args).fetchall()


def revoked(database_url: str, session_id: str) -> bool:
    rows = query(
        database_url, "SELECT revoked_at IS NOT NULL FROM sessions WHERE id = %s", session_id
    )
    return rows == [(True,)]


async def check_sessions(database_url: str, a: httpx.AsyncClient, b: httpx.AsyncClient) -> str:
    """Revocations through A reach B's cache at once; returns an admin token still valid."""
    setup = await a.post("/api/v1/setup", json={"username": "admin", "password": PASSWORD})
    assert setup.status_code == 201, setup.text
    first, second, admin = await login(a), await login(b), await login(a)
    for token in (first["access_token"], second["access_token"]):
        assert await me(a, token) == 200
        assert await me(b, token) == 200
    # B answers from its in-process tier now: a missed eviction would keep it saying 200.
    before = await local_cache_hits(b)
    assert await me(b, first["access_token"]) == 200
    assert await me(b, second["access_token"]) == 200
    assert await local_cache_hits(b) >= before + 2

    # Signing out through A.
    resp = await a.post("/api/v1/auth/logout", headers=bearer(first["access_token"]))
    assert resp.status_code == 204
    assert revoked(database_url, first["session_id"]), "answered before the revoke committed"
    assert await me(b, first["access_token"]) == 401
    assert await me(a, first["access_token"]) == 401
    assert await me(b, second["access_token"]) == 200  # only that session ended

    # An administrator ending a session (signed in through B) through A.
    resp = await a.delete(
        f"/api/v1/admin/sessions/{second['session_id']}", headers=bearer(admin["access_token"])
    )
    assert resp.status_code == 204
    assert revoked(database_url, second["session_id"]), "answered before the revoke committed"
    assert await me(b, second["access_token"]) == 401
    assert await me(a, second["access_token"]) == 401
    token: str = admin["access_token"]
    return token


async def check_settings(a: httpx.AsyncClient, b: httpx.AsyncClient, token: str) -> str:
    """A setting stored through A is read and enforced by B; returns a valid admin token."""
    key = "auth.session.max_per_user"
    # B has read the setting before, so a stale copy would be its answer.
    resp = await b.get(f"/api/v1/admin/settings/{key}", headers=bearer(token))
    assert resp.json()["value"] == 50
    resp = await a.put(f"/api/v1/admin/settings/{key}", json={"value": 1}, headers=bearer(token))
    assert resp.status_code == 200, resp.text
    # At once: the change was committed and announced before A answered.
    resp = await b.get(f"/api/v1/admin/settings/{key}", headers=bearer(token))
    assert (resp.json()["value"], resp.json()["source"]) == (1, "stored")
    # Enforced by B: signing in through B ends every other session of the user.
    newest = await login(b)
    assert await me(a, token) == 401
    assert await me(b, token) == 401
    assert await me(a, newest["access_token"]) == 200
    fresh: str = newest["access_token"]
    return fresh


def movie(root: Path, title: str) -> Path:
    return make_video(root / title / f"{title}.mkv", seconds=0.2)


def drop_movie(root: Path, staging: Path, title: str) -> Path:
    """A new movie folder appears in the library in one step (as a move does)."""
    made = movie(staging, title).parent
    target = root / title
    os.rename(made, target)
    return target


async def scans(b: httpx.AsyncClient, token: str, library_id: str) -> list[dict[str, Any]]:
    resp = await b.get(f"/api/v1/libraries/{library_id}/scans", headers=bearer(token))
    assert resp.status_code == 200, resp.text
    found: list[dict[str, Any]] = resp.json()
    return found


async def movie_titles(node: httpx.AsyncClient, token: str) -> list[str]:
    resp = await node.get("/api/v1/movies", params={"limit": 100}, headers=bearer(token))
    assert resp.status_code == 200, resp.text
    return sorted(m["title"] for m in resp.json()["items"])


async def check_scan(
    cluster: Cluster, database_url: str, a: httpx.AsyncClient, b: httpx.AsyncClient,
    token: str, root: Path,
) -> str:  # fmt: skip
    """A scan queued through A runs on exactly one worker; B shows its items."""
    for title in ("Heat (1995)", "Alien (1979)", "Ronin (1998)"):
        movie(root, title)
    (root / "Heat (1995)" / "poster.jpg").write_bytes(POSTER)
    body = {"name": "Movies", "type": "movie", "paths": [str(root)]}
    resp = await a.post("/api/v1/libraries", json=body, headers=bearer(token))
    assert resp.status_code == 201, resp.text
    library_id: str = resp.json()["id"]
    scan_id = resp.json()["scan_id"]  # creating a library queues its first scan

    async def completed() -> bool:
        resp = await b.get(f"/api/v1/libraries/{library_id}/scans/{scan_id}", headers=bearer(token))
        return bool(resp.json()["status"] == "completed")

    await eventually(completed, timeout=15, what="the scan to complete")
    assert await movie_titles(b, token) == ["Alien", "Heat", "Ronin"]
    files = query(database_url, "SELECT path FROM media_files WHERE library_id = %s", library_id)
    assert sorted(p for (p,) in files) == sorted(str(p) for p in root.resolve().rglob("*.mkv")), (
        "each file catalogued exactly once"
    )
    assert query(database_url, "SELECT count(*) FROM movies") == [(3,)]

    # One job, picked once and finished once (pgqueuer writes its log in batches).
    async def logged() -> bool:
        return all("successful" in s for s in scan_jobs(database_url).values())

    await eventually(logged, timeout=5, what="the scan job to be logged as finished")
    jobs = scan_jobs(database_url)
    assert list(jobs.values()) == [["queued", "picked", "successful"]], jobs
    # Which process ran it: the scanner reports each finished scan in its process's log.
    ran = [n for n in cluster.nodes if f"scan of library {library_id}" in n.output()]
    assert len(ran) == 1 and ran[0] in cluster.workers, [n.name for n in ran]
    return library_id


async def check_artwork(cluster: Cluster, s3: S3Server, b: httpx.AsyncClient, token: str) -> None:
    """The poster beside Heat, stored by a worker, is served by B from the bucket."""
    listed = (await b.get("/api/v1/movies", params={"limit": 100}, headers=bearer(token))).json()
    heat = next(m["id"] for m in listed["items"] if m["title"] == "Heat")

    async def poster() -> str | None:
        detail = (await b.get(f"/api/v1/movies/{heat}", headers=bearer(token))).json()
        found = [i["id"] for i in detail.get("images", []) if i["kind"] == "poster"]
        return found[0] if found else None

    async def linked() -> bool:
        return await poster() is not None

    await eventually(linked, timeout=20, what="the poster to be stored and linked")
    served = await b.get(f"/api/v1/images/{await poster()}", headers=bearer(token))
    assert served.status_code == 200 and served.content == POSTER
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["cache-control"] == "private, max-age=31536000, immutable"
    assert [k for k in s3.object_keys() if k.startswith("images/originals/")], s3.object_keys()
    # In the bucket only: no node (API nodes serve no jobs) kept it in its data directory.
    for node in cluster.nodes:
        data_dir = node.log.with_suffix("")
        assert data_dir.is_dir() and not list(data_dir.glob("images/**/*.jpg")), node.name


def scan_jobs(database_url: str) -> dict[int, list[str]]:
    """Each `libraries.scan` job's log: queued, picked, successful, ..."""
    rows = query(
        database_url,
        "SELECT job_id, status::text FROM pgqueuer_log WHERE entrypoint = 'libraries.scan'"
        " ORDER BY id",
    )
    jobs: dict[int, list[str]] = {}
    for job_id, status in rows:
        jobs.setdefault(job_id, []).append(status)
    return jobs


def watcher_holders(database_url: str) -> list[int]:
    """Backend pids holding the watcher's advisory lock in this database (servers on other
    databases of the same PostgreSQL hold their own), mapped to revenge process ids."""
    ns, key = WATCHER_LOCK
    rows = query(
        database_url,
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s"
        " AND l.objsubid = 2"
        " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        ns,
        key,
    )
    found = [re.fullmatch(r"revenge\[(\d+)\]@.*", name) for (name,) in rows]
    assert all(found), rows
    return [int(m.group(1)) for m in found if m]


async def check_watcher(
    cluster: Cluster, database_url: str, nodes: dict[str, httpx.AsyncClient], token: str,
    library_id: str, root: Path, staging: Path,
) -> None:  # fmt: skip
    """The watcher runs on one node only; a dropped file gives one incremental scan."""
    holders = watcher_holders(database_url)
    assert len(holders) == 1, holders
    holder = cluster.by_pid(holders[0])
    other = next(n for n in cluster.apis if n is not holder)
    await picked_up(holder, root)
    assert "runs the library watcher" not in other.output()
    await drop_and_see(database_url, nodes[other.name], token, library_id, root, staging,
                       "Collateral (2004)", expected_incremental=1)  # fmt: skip

    # The holder dies: the other node takes the lock over and catches a later file.
    holder.kill()

    async def taken_over() -> bool:
        return watcher_holders(database_url) == [other.pid]

    await eventually(taken_over, timeout=10, what="the other node to take the watcher over")
    await picked_up(other, root)

    # Taking over, it first catches up on whatever changed while nobody watched.
    async def caught_up() -> bool:
        done = [
            s for s in await scans(nodes[other.name], token, library_id)
            if s["type"] == "incremental"
        ]  # fmt: skip
        return len(done) >= 2 and done[0]["status"] == "completed" and not done[0]["folders"]

    await eventually(caught_up, timeout=15, what="the new watcher's catch-up scan")
    await drop_and_see(database_url, nodes[other.name], token, library_id, root, staging,
                       "Thief (1981)", expected_incremental=3)  # fmt: skip


async def picked_up(node: Node, root: Path) -> None:
    async def watching() -> bool:
        return "watching 1 library folder" in node.output()

    await eventually(watching, timeout=10, what=f"{node.name} to watch the library")
    # The folder watches are set up right after that line is written.
    await asyncio.sleep(0.5)


async def drop_and_see(
    database_url: str, node: httpx.AsyncClient, token: str, library_id: str, root: Path,
    staging: Path, title: str, expected_incremental: int,
) -> None:  # fmt: skip
    folder = drop_movie(root, staging, title)

    async def scanned() -> bool:
        done = [s for s in await scans(node, token, library_id) if s["type"] == "incremental"]
        return len(done) >= expected_incremental and done[0]["status"] == "completed"

    await eventually(scanned, timeout=15, what=f"an incremental scan for {title}")
    assert title.split(" (")[0] in await movie_titles(node, token)
    incremental = [s for s in await scans(node, token, library_id) if s["type"] == "incremental"]
    assert len(incremental) == expected_incremental, incremental
    assert incremental[0]["folders"] == [str(folder.resolve())]
    files = query(database_url, "SELECT path FROM media_files WHERE library_id = %s", library_id)
    assert len(files) == len({p for (p,) in files}) == len(list(root.rglob("*.mkv")))


async def test_two_api_nodes_and_two_workers_share_one_database_and_redis(
    cluster: tuple[Cluster, str], tmp_path: Path, s3: S3Server
) -> None:
    running, database_url = cluster
    node_a, node_b = running.apis
    assert node_a.url is not None and node_b.url is not None
    root, staging = tmp_path / "media" / "movies", tmp_path / "staging"
    root.mkdir(parents=True)
    staging.mkdir()
    async with (
        httpx.AsyncClient(base_url=node_a.url, timeout=10) as a,
        httpx.AsyncClient(base_url=node_b.url, timeout=10) as b,
    ):
        token = await check_sessions(database_url, a, b)
        token = await check_settings(a, b, token)
        library_id = await check_scan(running, database_url, a, b, token, root)
        await check_artwork(running, s3, b, token)
        clients = {node_a.name: a, node_b.name: b}
        await check_watcher(running, database_url, clients, token, library_id, root, staging)
