"""Shared bench helpers: a scratch database on the machine's PostgreSQL or an embedded one."""

from __future__ import annotations

import os
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

from revenge.testing.services import fresh_database, postgres_server


@contextmanager
def scratch_database() -> Iterator[str]:
    """REVENGE_BENCH_DATABASE_URL (or REVENGE_TEST_DATABASE_URL) server, else embedded."""
    server = os.environ.get("REVENGE_BENCH_DATABASE_URL")
    if server:
        os.environ["REVENGE_TEST_DATABASE_URL"] = server
    with postgres_server() as url, fresh_database(url, "revenge_bench") as db:
        yield db


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return (
        f"p50 {percentile(ms, 50):.3f} ms  p95 {percentile(ms, 95):.3f} ms  "
        f"p99 {percentile(ms, 99):.3f} ms  mean {statistics.fmean(ms):.3f} ms  n={len(ms)}"
    )


def process_cpu(pid: int) -> float:
    """CPU seconds a process has used so far, all its threads (Linux: /proc; OSError once
    the process has ended). Benches compare CPU time: a busy machine stretches wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
