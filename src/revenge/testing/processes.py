"""Start `revenge` commands as real processes for tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

# The checkout this package runs from (src/revenge/testing/ is three folders down).
REPO_ROOT = Path(__file__).resolve().parents[3]


def revenge_env(**values: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("REVENGE_TEST_DATABASE_URL", None)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT / "src"), str(REPO_ROOT)])
    env.setdefault("XDG_RUNTIME_DIR", "/tmp")
    # As in-process tests: no folder watching or periodic scans unless a test asks.
    env["REVENGE_SCANNING__REALTIME"] = "false"
    env["REVENGE_SCANNING__INTERVAL_HOURS"] = "0"
    env.update(values)
    return env


def start_revenge(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Run `python -m revenge <args>` with output going to `log`."""
    fh = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "revenge", *args],
        env=env,
        stdout=fh,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []
