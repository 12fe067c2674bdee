"""Direct-play load for bench/playback.py: many players each reading one file at a set rate."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from _common import process_cpu
from stream import make_file, running, seed

from revenge.identity import Principal
from revenge.infra.db import migrate
from revenge.infra.secrets import SecretBox
from revenge.streaming.signing import MediaSigner, file_scope
from revenge.testing.services import free_port, fresh_database, postgres_server

RATE = 20_000_000 // 8  # bytes per second of one 20 Mbit/s player
CHUNK = 64 * 1024


async def player(port: int, path: str, seconds: float) -> float:
    """Read the file as a player does (one GET, paced at RATE); the rate achieved."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    await writer.drain()
    await reader.readuntil(b"\r\n\r\n")
    started = time.perf_counter()
    got = 0
    while (elapsed := time.perf_counter() - started) < seconds:
        ahead = got / RATE - elapsed  # a player reads only as fast as it plays
        if ahead > 0:
            await asyncio.sleep(ahead)
        data = await reader.read(CHUNK)
        if not data:
            break
        got += len(data)
    writer.close()
    return got / (time.perf_counter() - started)


def direct_play(base: Path, clients: int, seconds: float) -> None:
    media_dir, data_dir = base / "media", base / "data"
    media_dir.mkdir(mode=0o755)
    data_dir.mkdir()
    media = media_dir / "movie.mkv"
    make_file(media, max(64, int(RATE * seconds * 1.2 / 2**20) + 1))
    server = os.environ.get("REVENGE_BENCH_DATABASE_URL")
    if server:
        os.environ["REVENGE_TEST_DATABASE_URL"] = server
    with postgres_server() as url, fresh_database(url, "revenge_bench_play") as db:
        migrate.upgrade(db)
        user_id, file_id = asyncio.run(seed(db, media))
        box = SecretBox.from_config([], data_dir / "secret.key")
        signer = MediaSigner(box.derive_key("media-url-v1"))
        token = signer.issue(Principal(user_id, "bench", "admin"), file_scope(file_id))
        port = free_port()
        env = {**os.environ, "REVENGE_DATABASE_URL": db, "REVENGE_DATA_DIR": str(data_dir)}
        cmd = [sys.executable, "-m", "revenge", "serve", "--port", str(port), "--no-worker"]
        path = f"/api/v1/stream/{file_id}?token={token}"
        with running(cmd, port, env) as proc:
            before, wall = process_cpu(proc.pid), time.perf_counter()
            rates = asyncio.run(_all(port, path, clients, seconds))
            cpu = (process_cpu(proc.pid) - before) / (time.perf_counter() - wall)
    slowest = min(rates)
    kept = sum(r >= RATE * 0.97 for r in rates)
    print(
        f"{clients} direct-play clients at 20 Mbit/s for {seconds:g} s: {kept}/{clients} "
        f"sustained (slowest {slowest * 8 / 1e6:.1f} Mbit/s), server CPU {cpu:.0%} of one core"
    )


async def _all(port: int, path: str, clients: int, seconds: float) -> list[float]:
    return list(await asyncio.gather(*(player(port, path, seconds) for _ in range(clients))))
