"""One HLS session played through two `revenge serve` nodes in turn, without sticky sessions.

Each node has its own data directory (so its own segment folder): every segment a node serves
it made itself, from the plan in PostgreSQL and boundaries fixed by the file. The nodes share
the database, Redis and the secret key, as the README asks of a scale-out.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import av
import httpx
import m3u8
import pytest
from cryptography.fernet import Fernet

from revenge.testing.cluster import Cluster, run_cluster
from revenge.testing.services import PrivateRedis, fresh_database
from revenge.testing.video import make_video
from tests.support.waiting import eventually

PASSWORD = "correct horse battery staple"
NOWHERE = "http://127.0.0.1:9"


@pytest.fixture
def cluster(pg_server_url: str, tmp_path: Path) -> Iterator[Cluster]:
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
            }
            with run_cluster(tmp_path, common, apis=2, workers=1) as running:
                yield running
    finally:
        redis.stop()


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


async def test_one_session_alternating_between_two_nodes(cluster: Cluster, tmp_path: Path) -> None:
    url_a, url_b = cluster.apis[0].url, cluster.apis[1].url
    assert url_a and url_b
    async with httpx.AsyncClient(base_url=url_a, timeout=60) as a, httpx.AsyncClient(
        base_url=url_b, timeout=60
    ) as b:  # fmt: skip
        headers = await _catalogue(a, b, tmp_path / "movies")
        movie = (await b.get("/api/v1/movies", headers=headers)).json()["items"][0]
        decided = await a.post(
            f"/api/v1/items/{movie['id']}/playback", json={"profile": "hls-generic"},
            headers=headers,
        )  # fmt: skip
        assert decided.status_code == 200, decided.text
        chosen = decided.json()["files"][0]
        assert chosen["method"] == "transcode"
        master = m3u8.loads((await b.get(chosen["url"])).text)  # no headers: the URL is signed
        base = chosen["url"].split("master.m3u8")[0]
        media = m3u8.loads((await a.get(base + master.playlists[0].uri)).text)
        assert abs(sum(s.duration for s in media.segments) - 12.0) < 1.0
        folder = base + master.playlists[0].uri.split("/")[0] + "/"
        nodes = [a, b]
        for n, segment in enumerate(media.segments):
            r = await nodes[n % 2].get(folder + segment.uri)
            assert r.status_code == 200, r.text
            codec, frames = _segment_codec(r.content)
            assert codec == "h264" and frames > 0
        session_id = chosen["playback_session_id"]
        made = {
            node: sorted(p.name for p in (tmp_path / node / "transcode" / session_id).rglob("*.ts"))
            for node in ("api-a", "api-b")
        }
        assert made["api-a"] and made["api-b"], made
        listed = (await b.get("/api/v1/admin/playback/sessions", headers=headers)).json()
        assert [s["id"] for s in listed] == [session_id]
