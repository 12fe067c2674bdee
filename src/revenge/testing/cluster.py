"""Several `revenge` processes sharing one PostgreSQL database and one Redis (a scale-out).

Every process runs in its own process group and is killed with it when the block ends, also
when the test fails. A process that dies while the cluster starts fails the test at once with
the end of its log.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from revenge.testing.processes import revenge_env, start_revenge, wait_for
from revenge.testing.services import free_port


@dataclass
class Node:
    """One `revenge serve --no-worker` (with `url`) or `revenge worker` (without)."""

    name: str
    proc: subprocess.Popen[bytes]
    log: Path
    url: str | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def ready(self) -> bool:
        if self.proc.poll() is not None:
            tail = "\n".join(self.output().splitlines()[-30:])
            raise AssertionError(f"{self.name} exited with {self.proc.returncode}:\n{tail}")
        if self.url is None:
            return "worker running" in self.output()
        try:
            return httpx.get(self.url + "/health/ready", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False


@dataclass
class Cluster:
    apis: list[Node]
    workers: list[Node]

    @property
    def nodes(self) -> list[Node]:
        return [*self.apis, *self.workers]

    def by_pid(self, pid: int) -> Node:
        found = [n for n in self.nodes if n.pid == pid]
        assert found, f"process {pid} is none of {[(n.name, n.pid) for n in self.nodes]}"
        return found[0]


@contextmanager
def run_cluster(
    tmp: Path,
    common: dict[str, str],
    *,
    api_env: dict[str, str] | None = None,
    apis: int = 2,
    workers: int = 2,
    timeout: float = 40.0,
) -> Iterator[Cluster]:
    """Start every process at once and wait until all are ready."""
    cluster = Cluster([], [])
    try:
        for i in range(apis):
            port = free_port()
            name = f"api-{chr(ord('a') + i)}"
            env = revenge_env(**common, **(api_env or {}), REVENGE_DATA_DIR=str(tmp / name))
            args = ["serve", "--no-worker", "--port", str(port)]
            proc = start_revenge(args, env, tmp / f"{name}.log")
            cluster.apis.append(Node(name, proc, tmp / f"{name}.log", f"http://127.0.0.1:{port}"))
        for i in range(workers):
            name = f"worker-{i + 1}"
            env = revenge_env(**common, REVENGE_DATA_DIR=str(tmp / name))
            proc = start_revenge(["worker"], env, tmp / f"{name}.log")
            cluster.workers.append(Node(name, proc, tmp / f"{name}.log"))
        wait_for(lambda: all([n.ready() for n in cluster.nodes]), timeout, "every node to start")
        yield cluster
    finally:
        for node in cluster.nodes:
            node.kill()
