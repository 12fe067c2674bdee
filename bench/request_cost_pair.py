"""What one request costs the server, for two source trees measured side by side.

bench/request_cost.py reads the server's CPU per request in process, steady within a few
percent on a quiet machine; on a busy one the machine's speed moves by a quarter within
minutes, more than a change under test. This starts both trees' applications at once, each in
its own process on one 100,000-item catalogue (bench/_catalog.py), and hands them the same
requests in turns of `--chunk`, alternating which goes first: both see the same machine, and
the ratio of their CPU per request holds where each figure alone drifts.

    python bench/request_cost_pair.py TREE_A TREE_B [--rounds 60] [--chunk 20] [--items 100000]

A tree is a checkout of the project (e.g. `git worktree add ../base 550dfc7`); both must share
this tree's database schema. Prints, per kind of request, each tree's mean CPU microseconds
per request and B/A (the median of the rounds' ratios and the ratio of the sums). Database:
REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL, else an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import REPO_ROOT, scratch_database
from bench._catalog import index_and_settle, load, searches_and_browses

from revenge.infra.db import migrate

# One tree's application (its `src`), driven as bench/request_cost.py (this checkout's)
# drives it: on each line of stdin naming a kind and a count, that many of the kind's
# requests, then the CPU seconds they took on a line of stdout.
CHILD = """
import asyncio, json, sys, time
from request_cost import call, served_app
from revenge.testing.auth import HeaderAuthenticator

async def main():
    workloads = json.load(open(sys.argv[1]))
    async with served_app() as app:
        app.state.runtime.authenticator = HeaderAuthenticator()
        for paths in workloads.values():
            for path in paths[:50]:
                if await call(app, path) != 200:
                    raise SystemExit(f"{path} failed")
        at = dict.fromkeys(workloads, 0)
        print("ready", flush=True)
        for line in sys.stdin:
            kind, count = line.rsplit(" ", 1)
            paths = workloads[kind]
            started = time.process_time()
            for _ in range(int(count)):
                await call(app, paths[at[kind] % len(paths)])
                at[kind] += 1
            print(time.process_time() - started, flush=True)

asyncio.run(main())
"""


def start(tree: Path, workloads: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(workloads)], text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        # The tree's application first, then this checkout's bench harness.
        env={**env, "PYTHONPATH": f"{tree / 'src'}:{REPO_ROOT / 'bench'}:{REPO_ROOT}"},
        cwd=tree,
    )  # fmt: skip
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        raise SystemExit(f"{tree}: the application did not start")
    return proc


def ask(proc: subprocess.Popen[str], kind: str, count: int) -> float:
    """CPU microseconds per request of `count` requests of `kind`."""
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(f"{kind} {count}\n")
    proc.stdin.flush()
    return float(proc.stdout.readline()) / count * 1e6


def compare(
    trees: list[Path], workloads: Path, env: dict[str, str], rounds: int, chunk: int
) -> None:
    procs = [start(tree, workloads, env) for tree in trees]
    try:
        print(f"{'request':14} {'A us':>7} {'B us':>7} {'B/A median':>11} {'B/A sums':>9}")
        for kind in json.loads(workloads.read_text()):
            costs: list[list[float]] = [[], []]
            for n in range(rounds):
                for k in (0, 1) if n % 2 == 0 else (1, 0):
                    costs[k].append(ask(procs[k], kind, chunk))
            ratios = [b / a for a, b in zip(*costs, strict=True)]
            print(f"{kind:14} {statistics.mean(costs[0]):7.0f} {statistics.mean(costs[1]):7.0f}"
                  f" {statistics.median(ratios):11.3f} {sum(costs[1]) / sum(costs[0]):9.3f}",
                  flush=True)  # fmt: skip
    finally:
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs=2, type=Path)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--chunk", type=int, default=20)
    args = parser.parse_args()
    trees = [tree.resolve() for tree in args.trees]
    print(f"A = {trees[0]}\nB = {trees[1]}")
    base = Path(tempfile.mkdtemp(prefix="revenge-bench-cost-pair-"))
    try:
        with scratch_database() as db:
            migrate.upgrade(db)
            load(db, args.items)
            env = {**os.environ, "REVENGE_DATABASE_URL": db, "REVENGE_DATA_DIR": str(base)}
            index_and_settle(db, base)
            searches, browses = searches_and_browses(args.rounds * args.chunk)
            workloads = base / "workloads.json"
            workloads.write_text(json.dumps({"browse page": browses, "search": searches}))
            compare(trees, workloads, env, args.rounds, args.chunk)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
