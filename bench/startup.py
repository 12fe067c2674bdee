"""Cold and warm start time of `revenge serve` on the embedded default.

Cold: a new data directory (initdb + every migration). Warm: the same directory again.
Measured from process start until /health/ready answers 200.
Run: `.venv/bin/python bench/startup.py [runs]`.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import REPO_ROOT

from revenge.testing.services import free_port


def start_once(data_dir: Path) -> float:
    port = free_port()
    env = {**os.environ, "REVENGE_DATA_DIR": str(data_dir), "XDG_RUNTIME_DIR": "/tmp"}
    env.pop("REVENGE_DATABASE_URL", None)
    env.pop("REVENGE_REDIS_URL", None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "revenge", "serve", "--port", str(port)],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/health/ready", timeout=1
                ) as r:
                    if r.status == 200:
                        return time.perf_counter() - started
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("revenge serve exited during start-up") from None
                time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    cold: list[float] = []
    warm: list[float] = []
    for _ in range(runs):
        data_dir = Path(tempfile.mkdtemp(prefix="revenge-startup-"))
        cold.append(start_once(data_dir))
        warm.append(start_once(data_dir))
    print(
        f"cold start (new data dir): median {statistics.median(cold):.2f} s  "
        f"min {min(cold):.2f} s  runs={runs}"
    )
    print(
        f"warm start (existing data): median {statistics.median(warm):.2f} s  "
        f"min {min(warm):.2f} s  runs={runs}"
    )


if __name__ == "__main__":
    main()
