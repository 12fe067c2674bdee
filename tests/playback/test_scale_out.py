"""One HLS session played through two `revenge serve` nodes in turn, without sticky sessions.

Each node has its own data directory (so its own segment folder). With the local-folder
storage backend every segment a node serves it made itself, from the plan in PostgreSQL and
boundaries fixed by the file; with S3-compatible object storage (moto's S3 API) a node serves
the segments another node made from the bucket. The nodes share the database, Redis and the
secret key, as the README asks of a scale-out.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import av
import httpx
import m3u8
import pytest
from cryptography.fernet import Fernet

from revenge.testing.cluster import Cluster, run_cluster
from revenge.testing.services import PrivateRedis, fresh_database
from revenge.testing.video import make_video
from tests.support.object_storage import S3Server, s3_server
from tests.support.waiting import eventually

PASSWORD = "correct horse battery staple"
NOWHERE = "http://127.0.0.1:9"


@contextmanager
def two_nodes(pg_server_url: str, tmp_path: Path, **env: str) -> Iterator[Cluster]:
    """Two API nodes and a worker, each with its own data directory; `env` for all of them."""
    redis = PrivateRedis()
    redis.start()
    try:
        with fresh_database(pg_server_url, "revenge_hls_nodes") as database_url:
            common = {
                "REVENGE_DATABASE_URL": database_url,
                "REVENGE_REDIS_URL": redis.url,
                "REVENGE_CACHE__REDIS_PREFIX": f"hls-{uuid.uuid4().hex[:8]}:",
                "REVENGE_SECRET_KEYS": json.dumps([Fernet.generate_key().decode()]),
                "REVENGE_METADATA__TMDB_BASE_URL": NOWHERE,
                "REVENGE_METADATA__MAX_RETRIES": "0",
                **env,
            }
            with run_cluster(tmp_path, common, apis=2, workers=1) as running:
                yield running
    finally:
        redis.stop()


@pytest.fixture
def cluster(pg_server_url: str, tmp_path: Path) -> Iterator[Cluster]:
    with two_nodes(pg_server_url, tmp_path) as running:
        yield running


@pytest.fixture
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


def _segment_codec(data: bytes) -> tuple[str, int]:
    with av.open(io.BytesIO(data), format="mpegts") as container:
        frames = list(container.decode(video=0))
        return container.streams.video[0].codec_context.name, len(frames)


async def _catalogue(a: httpx.AsyncClient, b: httpx.AsyncClient, root: Path) -> dict[str, str]:
    """An admin, a library with one HEVC/AC3 movie scanned; the admin's headers."""
    setup = await a.post("/api/v1/setup", json={"username": "admin", "password": PASSWORD})
    assert setup.status_code == 201, setup.text
    signed = await a.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {signed.json()['access_token']}"}
    make_video(root / "Heat (1995)" / "Heat (1995).mkv", "libx265", "ac3", seconds=12)
    body = {"name": "Movies", "type": "movie", "paths": [str(root)]}
    library = await a.post("/api/v1/libraries", json=body, headers=headers)
    assert library.status_code == 201, library.text

    async def catalogued() -> bool:
        found = await b.get("/api/v1/movies", headers=headers)
        return found.status_code == 200 and len(found.json()["items"]) == 1

    library_id = library.json()["id"]
    scan = await a.post(f"/api/v1/libraries/{library_id}/scans", json={}, headers=headers)
    assert scan.status_code in (202, 409), scan.text
    await eventually(catalogued, timeout=30, what="the movie to be catalogued")
    return headers


async def _transcoded(
    a: httpx.AsyncClient, b: httpx.AsyncClient, root: Path
) -> tuple[dict[str, str], str, str, list[str]]:
    """A transcoded session of the one movie, decided on `a`: the admin's headers, the session
    id, the signed URL of its first variant's folder and the segment names of that variant."""
    headers = await _catalogue(a, b, root)
    movie = (await b.get("/api/v1/movies", headers=headers)).json()["items"][0]
    decided = await a.post(
        f"/api/v1/items/{movie['id']}/playback", json={"profile": "hls-generic"}, headers=headers
    )
    assert decided.status_code == 200, decided.text
    chosen = decided.json()["files"][0]
    assert chosen["method"] == "transcode"
    master = m3u8.loads((await b.get(chosen["url"])).text)  # no headers: the URL is signed
    base = chosen["url"].split("master.m3u8")[0]
    media = m3u8.loads((await a.get(base + master.playlists[0].uri)).text)
    assert abs(sum(s.duration for s in media.segments) - 12.0) < 1.0
    folder = base + master.playlists[0].uri.split("/")[0] + "/"
    return headers, chosen["playback_session_id"], folder, [s.uri for s in media.segments]


async def test_one_session_alternating_between_two_nodes(cluster: Cluster, tmp_path: Path) -> None:
    url_a, url_b = cluster.apis[0].url, cluster.apis[1].url
    assert url_a and url_b
    async with httpx.AsyncClient(base_url=url_a, timeout=60) as a, httpx.AsyncClient(
        base_url=url_b, timeout=60
    ) as b:  # fmt: skip
        headers, session_id, folder, segments = await _transcoded(a, b, tmp_path / "movies")
        nodes = [a, b]
        for n, segment in enumerate(segments):
            r = await nodes[n % 2].get(folder + segment)
            assert r.status_code == 200, r.text
            codec, frames = _segment_codec(r.content)
            assert codec == "h264" and frames > 0
        made = {
            node: sorted(p.name for p in (tmp_path / node / "transcode" / session_id).rglob("*.ts"))
            for node in ("api-a", "api-b")
        }
        assert made["api-a"] and made["api-b"], made
        listed = (await b.get("/api/v1/admin/playback/sessions", headers=headers)).json()
        assert [s["id"] for s in listed] == [session_id]


async def test_a_node_serves_the_segments_another_made_from_object_storage(
    pg_server_url: str, tmp_path: Path, s3: S3Server
) -> None:
    env = {**s3.env(), "REVENGE_PLAYBACK__REAP_INTERVAL_SECONDS": "0.5"}
    with two_nodes(pg_server_url, tmp_path, **env) as cluster:
        url_a, url_b = cluster.apis[0].url, cluster.apis[1].url
        assert url_a and url_b
        async with httpx.AsyncClient(base_url=url_a, timeout=60) as a, httpx.AsyncClient(
            base_url=url_b, timeout=60
        ) as b:  # fmt: skip
            headers, session_id, folder, segments = await _transcoded(a, b, tmp_path / "movies")
            made = [(await a.get(folder + segment)).content for segment in segments]
            variant = folder.rstrip("/").rsplit("/", 1)[1]
            names = [segment.split("?")[0] for segment in segments]  # without the signed token
            keys = {f"transcode/{session_id}/{variant}/{name}" for name in names}

            async def stored() -> bool:
                return keys <= set(s3.object_keys())

            await eventually(stored, timeout=20, what="node A to store every segment")
            for n, segment in enumerate(segments):
                r = await b.get(folder + segment)
                assert r.status_code == 200, r.text
                assert r.headers["content-type"] == "video/mp2t"
                assert r.content == made[n]
                assert _segment_codec(r.content)[0] == "h264"
            # B answered from the bucket: it made nothing itself.
            assert not list((tmp_path / "api-b").rglob("*.ts"))
            assert list((tmp_path / "api-a" / "transcode" / session_id).rglob("*.ts"))
            # The session ends: A, which made the segments, deletes them from the bucket too.
            ended = await b.delete(f"/api/v1/admin/playback/sessions/{session_id}", headers=headers)
            assert ended.status_code == 204, ended.text

            async def deleted() -> bool:
                return not [k for k in s3.object_keys() if k.startswith("transcode/")]

            await eventually(deleted, timeout=20, what="the session's segments to be deleted")
