"""Saturated search and browse of two source trees, alternated on one catalogue.

A throughput on this 2-core machine moves with whatever else runs, by as much as a change
under test does; two runs of bench/catalog.py minutes apart compare the machine's moods. This
loads one 100,000-item catalogue (bench/_catalog.py), then starts the server of each tree in
turn against it (as bench/catalog.py starts it: uvicorn, header sign-in), in ABBA order, and
runs the same 50 clients with no think time on each: requests/s, p50 and p99 per tree and round,
and the server's CPU per request over the run (from /proc: it holds better than the rate, which
also follows how the machine shares its cores between the server, PostgreSQL and the clients).

    python bench/catalog_pair.py TREE_A TREE_B [--rounds 2] [--items 100000] [--requests 3000]

A tree is a checkout of the project (e.g. `git worktree add ../base 57fd3ca`); both must share
this tree's database schema. Database: REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL,
else an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

from bench._catalog import index_and_settle, load, searches_and_browses
from bench._common import process_cpu, scratch_database
from bench.catalog import SERVE, fire, pct
from bench.stream import running

from revenge.infra.db import migrate
from revenge.testing.services import free_port


def serve_tree(tree: Path, db_url: str, data: Path, paths: dict[str, list[str]]) -> str:
    """One tree's server, warmed up, then each workload at saturation: a line of figures."""
    port = free_port()
    env = {**os.environ, "REVENGE_DATABASE_URL": db_url, "REVENGE_DATA_DIR": str(data),
           "PYTHONPATH": f"{tree / 'src'}:{tree}", "PYTHONUNBUFFERED": "1"}  # fmt: skip
    with running([sys.executable, "-c", SERVE, str(port)], port, env) as server:
        url = f"http://127.0.0.1:{port}"
        asyncio.run(fire(url, paths["search"][:300] + paths["browse"][:300], 50, 0))
        figures = []
        for name, workload in paths.items():
            cpu = process_cpu(server.pid)
            timings, failed, rate = asyncio.run(fire(url, workload, 50, 0))
            cpu = (process_cpu(server.pid) - cpu) / len(workload) * 1e6
            figures.append(f"{name} {rate:5.0f} req/s p50 {pct(timings, 50):6.1f} ms"
                           f" p99 {pct(timings, 99):7.1f} ms server CPU {cpu:5.0f} us/req"
                           f" failed {len(failed)}")  # fmt: skip
    return " | ".join(figures)


def run(db_url: str, data: Path, trees: list[Path], rounds: int, items: int, requests: int) -> None:
    migrate.upgrade(db_url)
    load(db_url, items)
    index_and_settle(db_url, data)
    searches, browses = searches_and_browses(requests)
    paths = {"search": searches, "browse": browses}
    print(f"{items:,} items, 50 clients, no think time, {requests} requests of each kind")
    for round_ in range(rounds):
        for tree in trees if round_ % 2 == 0 else trees[::-1]:
            print(f"round {round_ + 1} {tree}: {serve_tree(tree, db_url, data, paths)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs=2, type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="revenge-bench-pair-"))
    try:
        with scratch_database() as db:
            trees = [tree.resolve() for tree in args.trees]
            run(db, data, trees, args.rounds, args.items, args.requests)
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
