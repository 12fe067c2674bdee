"""Streaming throughput of `revenge serve` next to nginx, same 1 GB file, same run.

Prints MB/s for the whole file in one request, and for the file fetched as consecutive
1 MiB range requests over one keep-alive connection, for Revenge (through a signed media
URL, as a player would) and for nginx (sendfile on), rounds alternating between the two,
from when Revenge is ready and its process quiet. Each round also gives each server's CPU
microseconds per 1 MiB range (nginx's worker, all of Revenge's threads), and times 2,000
one-byte range requests on one connection: the cost of a request itself, in microseconds,
for both servers.
Goal: 1 MiB ranges >= 70% of nginx in every round.

    python bench/stream.py [--size-mb 1024] [--rounds 3] [--congestion cubic|system]

Congestion control. Where the machine's default is BBR, each loopback connection is paced by
its own estimate of the path, and connections settle in different states: a plain Python
sendfile server sent 1 MiB ranges at anywhere from 1,000 to 5,200 MB/s depending on the
connection, and nginx's rounds ranged 1,700-5,400. A round then compared two draws rather
than two servers. Run as root, the bench therefore connects from a loopback address of its
own (127.0.0.77) whose route pins the servers' side of its connections to cubic, Linux's
usual default; the same plain server then sent 3,400-5,300 MB/s on 19 connections of 20. The
route is removed at the end. `--congestion system`, or running as another user, keeps the
machine's own; the bench prints which one the servers used.

Database: REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL (a server URL; a scratch
database is created on it), else an embedded PostgreSQL. nginx must be on PATH or in
/usr/sbin (Debian/Ubuntu: `apt-get install -y nginx` as root; the bench starts its own
instance on a free loopback port with its own config, the system service is not used).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

from bench._common import process_cpu, scratch_database

from revenge.identity import Principal
from revenge.infra.db import migrate
from revenge.infra.secrets import SecretBox
from revenge.streaming.signing import MediaSigner, file_scope
from revenge.testing.services import free_port

MIB = 1024 * 1024
# `sendfile on; tcp_nopush on;` as in Debian's own nginx.conf.
NGINX_CONF = """
daemon off; worker_processes 1; pid {base}/nginx.pid; error_log {base}/nginx.err;
events {{ worker_connections 64; }}
http {{
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  client_body_temp_path {base}/t1; proxy_temp_path {base}/t2; fastcgi_temp_path {base}/t3;
  uwsgi_temp_path {base}/t4; scgi_temp_path {base}/t5;
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
"""


# The client's own address, when the bench pins the servers' congestion control (above).
PINNED_SOURCE = "127.0.0.77"


class Client:
    """A minimal keep-alive HTTP/1.1 client that discards bodies into one buffer."""

    source = "127.0.0.1"  # the address connections come from (`pinned_congestion`)

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), source_address=(self.source, 0))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * MIB)
        self.buf = bytearray(4 * MIB)
        self.view = memoryview(self.buf)
        self.extra = b""

    def get(self, path: str, range_header: str | None = None) -> int:
        lines = [f"GET {path} HTTP/1.1", "Host: bench"]
        if range_header:
            lines.append(f"Range: {range_header}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = self.extra
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            head += chunk
        header, _, body = head.partition(b"\r\n\r\n")
        status = int(header.split(b" ", 2)[1])
        if status not in (200, 206):
            raise RuntimeError(header.decode(errors="replace"))
        length = next(
            int(line.split(b":", 1)[1])
            for line in header.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        remaining = length - len(body)
        while remaining > 0:
            got = self.sock.recv_into(self.view, min(remaining, len(self.buf)))
            if not got:
                raise ConnectionError("short body")
            remaining -= got
        self.extra = b""
        return length

    def close(self) -> None:
        self.sock.close()


def measure(port: int, path: str, size: int, pids: list[int]) -> tuple[float, float, float]:
    """MB/s of one full GET and of the whole file as 1 MiB ranges on one connection, and the
    server's CPU microseconds per 1 MiB range (the processes `pids`, all their threads)."""
    client = Client(port)
    start = time.perf_counter()
    assert client.get(path) == size
    full = size / MIB / (time.perf_counter() - start)
    offsets = range(0, size, MIB)
    cpu = sum(process_cpu(pid) for pid in pids)
    start = time.perf_counter()
    for offset in offsets:
        client.get(path, f"bytes={offset}-{min(offset + MIB, size) - 1}")
    ranged = size / MIB / (time.perf_counter() - start)
    cpu = sum(process_cpu(pid) for pid in pids) - cpu
    client.close()
    return full, ranged, cpu / len(offsets) * 1e6


def per_request_us(port: int, path: str, count: int = 2000) -> float:
    """Microseconds per one-byte range request on one keep-alive connection."""
    client = Client(port)
    try:
        for _ in range(50):  # warm-up
            client.get(path, "bytes=0-0")
        start = time.perf_counter()
        for n in range(count):
            client.get(path, f"bytes={n}-{n}")
        return (time.perf_counter() - start) / count * 1e6
    finally:
        client.close()


def settled(port: int, pid: int, seconds: float = 60) -> float:
    """Wait until Revenge answers `/health/ready` and its process is quiet; the seconds taken.

    For about a second after its port opens the server finishes starting (150% CPU measured),
    while nginx has nothing left to do: a first round measured then compared a starting server
    with a running one (its whole file came at a quarter of later rounds' rate)."""
    started = time.monotonic()
    deadline = started + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2):
                break
        except OSError:  # not ready yet (503) or not answering
            time.sleep(0.1)
    while time.monotonic() < deadline:
        before = process_cpu(pid)
        time.sleep(0.25)
        if process_cpu(pid) - before < 0.25 * 0.05:  # under 5% of a core
            break
    return time.monotonic() - started


def nginx_workers(master: int, seconds: float = 10) -> list[int]:
    """The worker processes of an nginx master: they, not the master, serve requests.

    The master listens before it starts its workers, so they are waited for."""
    deadline = time.monotonic() + seconds
    while True:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children or time.monotonic() > deadline:
            return [int(pid) for pid in children]
        time.sleep(0.05)


@contextmanager
def pinned_congestion(algorithm: str) -> Iterator[str]:
    """Route PINNED_SOURCE with `algorithm` as its congestion control while the block runs.

    Yields the algorithm the servers' connections use. Connections from the bench's `Client`
    then come from PINNED_SOURCE; a server's side of a connection takes its congestion control
    from the route back to the client. Needs root and iproute2, else changes nothing."""
    system = Path("/proc/sys/net/ipv4/tcp_congestion_control").read_text().strip()
    available = Path("/proc/sys/net/ipv4/tcp_available_congestion_control").read_text().split()
    ip = shutil.which("ip") or "/usr/sbin/ip"
    route = ["route", "replace", "local", f"{PINNED_SOURCE}/32", "dev", "lo", "table", "local"]
    if (
        algorithm in ("system", system)
        or algorithm not in available
        or os.geteuid() != 0
        or not os.path.exists(ip)
        or subprocess.run([ip, *route, "congctl", algorithm], capture_output=True).returncode
    ):
        yield f"{system} (the machine's default)"
        return
    Client.source = PINNED_SOURCE
    try:
        yield f"{algorithm} (pinned on the bench's loopback route; the machine's default: {system})"
    finally:
        Client.source = "127.0.0.1"
        subprocess.run([ip, "route", "del", *route[2:]], capture_output=True)


def find_nginx() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else ""
    )
    if not found:
        sys.exit(
            "nginx is not installed: on Debian/Ubuntu run `apt-get install -y nginx` as root"
            " (only the binary is used; the bench runs its own instance on a loopback port)."
        )
    return found


def make_file(path: Path, size_mb: int) -> None:
    block = os.urandom(MIB)
    with path.open("wb") as f:
        for _ in range(size_mb):
            f.write(block)


def wait_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


@contextmanager
def running(
    cmd: list[str], port: int, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port, proc)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


async def seed(db_url: str, media: Path) -> tuple[uuid.UUID, uuid.UUID]:
    """An admin user, a library over `media.parent` and a media_files row for `media`."""
    import psycopg

    user_id, library_id, file_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    st = os.stat(media)
    async with await psycopg.AsyncConnection.connect(db_url, autocommit=True) as conn:
        await conn.execute(
            "INSERT INTO users (id, username, role) VALUES (%s, 'bench', 'admin')", (user_id,)
        )
        await conn.execute(
            "INSERT INTO libraries (id, name, type) VALUES (%s, 'bench', 'movie')", (library_id,)
        )
        await conn.execute(
            "INSERT INTO library_paths (library_id, path) VALUES (%s, %s)",
            (library_id, str(media.parent)),
        )
        await conn.execute(
            "INSERT INTO media_files (id, library_id, path, folder, kind, size, mtime_ns,"
            " inode, device, fingerprint) VALUES (%s, %s, %s, %s, 'video', %s, %s, %s, %s, 'x')",
            (file_id, library_id, str(media), str(media.parent), st.st_size, st.st_mtime_ns,
             st.st_ino, st.st_dev),
        )  # fmt: skip
    return user_id, file_id


@dataclass(frozen=True)
class Prepared:
    """One file served by both: Revenge's signed URL for it, and nginx's config and port."""

    media: Path
    data_dir: Path
    path: str
    nginx_cmd: list[str]
    nginx_port: int


def prepare(db_url: str, base: Path, size_mb: int) -> Prepared:
    """A `size_mb` file in a library of a fresh database, and nginx set up to serve it."""
    media_dir, data_dir = base / "media", base / "data"
    media_dir.mkdir(mode=0o755)
    data_dir.mkdir()
    # The server reads the same key file, so it accepts the token minted here.
    box = SecretBox.from_config([], data_dir / "secret.key")
    media = media_dir / "movie.mkv"
    print(f"writing a {size_mb} MiB file ...", flush=True)
    make_file(media, size_mb)
    # nginx serves the same file (a hard link: one inode, one page cache) from a folder
    # outside the library: Revenge watches its library folders, and every open inside them
    # wakes its watcher, so nginx's opens would cost Revenge's process a wake-up each.
    nginx_root = base / "nginx-root"
    nginx_root.mkdir(mode=0o755)
    os.link(media, nginx_root / media.name)
    migrate.upgrade(db_url)
    user_id, file_id = asyncio.run(seed(db_url, media))
    signer = MediaSigner(box.derive_key("media-url-v1"))
    token = signer.issue(Principal(user_id, "bench", "admin"), file_scope(file_id))
    nginx_port = free_port()
    conf = base / "nginx.conf"
    conf.write_text(NGINX_CONF.format(base=base, port=nginx_port, root=nginx_root))
    nginx_cmd = [find_nginx(), "-c", str(conf), "-p", str(base)]
    path = f"/api/v1/stream/{file_id}?token={token}"
    return Prepared(media, data_dir, path, nginx_cmd, nginx_port)


def serve_command(db_url: str, data_dir: Path, src: Path) -> tuple[list[str], int, dict[str, str]]:
    """`revenge serve` from the package in `src` on a free port: its command, port and env."""
    port = free_port()
    env = {**os.environ, "REVENGE_DATABASE_URL": db_url, "REVENGE_DATA_DIR": str(data_dir),
           "PYTHONPATH": f"{src}:{os.environ.get('PYTHONPATH', '')}"}  # fmt: skip
    cmd = [sys.executable, "-m", "revenge", "serve", "--port", str(port), "--no-worker"]
    return cmd, port, env


def run(db_url: str, base: Path, size_mb: int, rounds: int, congestion: str) -> None:
    prepared = prepare(db_url, base, size_mb)
    media, path, nginx_port = prepared.media, prepared.path, prepared.nginx_port
    size = media.stat().st_size
    cmd, port, env = serve_command(db_url, prepared.data_dir, REPO_ROOT / "src")
    rows: list[dict[str, tuple[float, ...]]] = []
    with (
        running(prepared.nginx_cmd, nginx_port) as nginx_proc,
        running(cmd, port, env) as revenge_proc,
        pinned_congestion(congestion) as congestion_used,
    ):
        servers = (
            ("nginx", nginx_port, f"/{media.name}", nginx_workers(nginx_proc.pid)),
            ("revenge", port, path, [revenge_proc.pid]),
        )
        settling = settled(port, revenge_proc.pid)
        if os.environ.get("BENCH_PROBE"):
            subprocess.run([sys.executable, os.environ["BENCH_PROBE"], str(port), path])
        # Rounds alternate between the two servers, so a neighbour's load on a shared
        # machine weighs on both sides of the ratio alike.
        for _ in range(rounds):
            row = {}
            for name, target, url, pids in servers:
                row[name] = (*measure(target, url, size, pids), per_request_us(target, url))
            rows.append(row)

    print(f"file: {size / MIB:.0f} MiB, one connection, loopback; load {_load()}")
    print(f"revenge ready and quiet {settling:.1f} s after its port opened")
    print(f"congestion control: {congestion_used}")
    print(f"{'round':6}{'':22}{'nginx':>10}{'revenge':>10}{'ratio':>8}")
    for n, row in enumerate(rows, 1):
        (nf, nr, nc, nu), (rf, rr, rc, ru) = row["nginx"], row["revenge"]
        print(f"{n:<6}{'full file (MB/s)':22}{nf:10,.0f}{rf:10,.0f}{rf / nf:8.0%}")
        print(f"{'':6}{'1 MiB ranges (MB/s)':22}{nr:10,.0f}{rr:10,.0f}{rr / nr:8.0%}")
        print(f"{'':6}{'CPU per range (us)':22}{nc:10,.0f}{rc:10,.0f}{rc / nc:7.1f}x")
        print(f"{'':6}{'per request (us)':22}{nu:10,.0f}{ru:10,.0f}{ru / nu:7.1f}x")
    print("goal: 1 MiB ranges >= 70% of nginx in every round")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--congestion", default="cubic", help="the servers' congestion control, or 'system'"
    )
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="revenge-bench-stream-"))
    base.chmod(0o755)  # nginx workers may run as an unprivileged user
    try:
        with scratch_database() as db:
            run(db, base, args.size_mb, args.rounds, args.congestion)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
