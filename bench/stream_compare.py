"""Range requests of two Revenge revisions and nginx, interleaved on one file, same minutes.

`bench/stream.py` measures rounds one server after the other; a change worth a few percent
drowns there in the minute-to-minute drift of the machine. This runs a `revenge serve` from
each revision's `src` (revision A from a temporary git worktree, B from this checkout) and
nginx side by side, and takes turns in blocks (nginx before each revision): 64 consecutive
1 MiB ranges, then 200 one-byte ranges, each server on its own keep-alive connection. It
prints MB/s of the ranges (and as a share of nginx's), CPU microseconds per 1 MiB range, and
the wall and CPU microseconds of a one-byte request.

    python bench/stream_compare.py REVISION_A [--blocks 40] [--size-mb 512]

Needs what `bench/stream.py` needs (nginx; root to pin congestion control) and git.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

from bench import stream
from bench._common import process_cpu, scratch_database

MIB = stream.MIB
RANGES, BYTES = 64, 200  # per block and server


@contextmanager
def worktree(revision: str) -> Iterator[Path]:
    """A checkout of `revision` in a temporary folder."""
    where = Path(tempfile.mkdtemp(prefix="revenge-compare-"))
    subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "add", "-q", "--detach",
                    str(where), revision], check=True)  # fmt: skip
    try:
        yield where
    finally:
        subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "remove", "--force", str(where)])


class Tally:
    """One server's totals over the blocks."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.seconds = self.cpu = self.byte_seconds = self.byte_cpu = 0.0
        self.ranges = self.bytes = 0

    def cpu_now(self) -> float:
        return sum(process_cpu(pid) for pid in self.pids)


def block(client: stream.Client, url: str, tally: Tally, first: int, count: int) -> None:
    cpu, start = tally.cpu_now(), time.perf_counter()
    for n in range(first, first + RANGES):
        offset = (n % count) * MIB
        client.get(url, f"bytes={offset}-{offset + MIB - 1}")
    tally.seconds += time.perf_counter() - start
    tally.cpu += tally.cpu_now() - cpu
    tally.ranges += RANGES
    cpu, start = tally.cpu_now(), time.perf_counter()
    for n in range(BYTES):
        client.get(url, f"bytes={n}-{n}")
    tally.byte_seconds += time.perf_counter() - start
    tally.byte_cpu += tally.cpu_now() - cpu
    tally.bytes += BYTES


def run(db_url: str, base: Path, sources: dict[str, Path], size_mb: int, blocks: int) -> None:
    prepared = stream.prepare(db_url, base, size_mb)
    servers: list[tuple[str, int, str, Tally]] = []
    with ExitStack() as stack:
        nginx = stack.enter_context(stream.running(prepared.nginx_cmd, prepared.nginx_port))
        nginx_pids = stream.nginx_workers(nginx.pid)
        servers.append(("nginx", prepared.nginx_port, f"/{prepared.media.name}", Tally(nginx_pids)))
        for name, src in sources.items():
            cmd, port, env = stream.serve_command(db_url, prepared.data_dir, src)
            proc = stack.enter_context(stream.running(cmd, port, env))
            stream.settled(port, proc.pid)
            servers.append((name, port, prepared.path, Tally([proc.pid])))
        congestion = stack.enter_context(stream.pinned_congestion("cubic"))
        clients = {name: stream.Client(port) for name, port, _, _ in servers}
        for name, _, url, _ in servers:  # warm-up
            for n in range(100):
                clients[name].get(url, f"bytes={n * MIB}-{n * MIB + MIB - 1}")
        count = size_mb
        first, revisions = servers[0], servers[1:]
        for n in range(blocks):
            # nginx before each revision, the revisions in turn first: each comes after nginx
            # and before it, always. What ran just before a block sways it: a revision coming
            # after itself (order reversed every other block) came out 3-7% faster, and one
            # coming after the other Python server 6% slower, than the same code after nginx.
            for name, _, url, tally in (first, revisions[n % 2], first, revisions[1 - n % 2]):
                block(clients[name], url, tally, n * RANGES, count)
    print(f"file: {size_mb} MiB; {blocks} blocks of {RANGES} ranges of 1 MiB and {BYTES}"
          f" one-byte ranges per server; congestion control: {congestion}")  # fmt: skip
    print(f"{'':10}{'MiB ranges':>12}{'of nginx':>10}{'CPU/range':>11}{'1-byte wall':>13}"
          f"{'1-byte CPU':>12}")  # fmt: skip
    nginx_rate = 0.0
    for name, _, _, t in servers:
        rate = t.ranges * MIB / t.seconds / 1e6
        nginx_rate = nginx_rate or rate
        per_range = t.cpu / t.ranges * 1e6
        byte_wall, byte_cpu = t.byte_seconds / t.bytes * 1e6, t.byte_cpu / t.bytes * 1e6
        print(f"{name:10}{rate:9,.0f} MB/s{rate / nginx_rate:10.0%}{per_range:8.0f} us"
              f"{byte_wall:10.0f} us{byte_cpu:9.0f} us")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="revision A, e.g. a commit or main~3")
    parser.add_argument("--blocks", type=int, default=40)
    parser.add_argument("--size-mb", type=int, default=512)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="revenge-bench-compare-"))
    base.chmod(0o755)  # nginx workers may run as an unprivileged user
    try:
        with (
            worktree(args.revision) as tree,
            scratch_database() as db,
        ):
            sources = {"A": tree / "src", "B (here)": REPO_ROOT / "src"}
            run(db, base, sources, args.size_mb, args.blocks)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
