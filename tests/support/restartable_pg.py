"""A private PostgreSQL (from the pgserver wheel) that a fault test may stop and start.

Never the machine's shared server: this one lives in a temp directory owned by the test.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import psycopg


class RestartablePostgres:
    """pgserver in a temp dir, driven through its own `pg_ctl`."""

    def __init__(self) -> None:
        self.pgdata = Path(tempfile.mkdtemp(prefix="revenge-fault-pg-"))
        self._server: Any = None

    def start_fresh(self) -> str:
        """initdb + start; returns the URL of a new `revenge` database."""
        import pgserver

        self._server = pgserver.get_server(self.pgdata, cleanup_mode="delete")
        plain = self._server.get_uri()
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute("CREATE DATABASE revenge")
        return str(self._server.get_uri("revenge"))

    def _pg_ctl(self, *args: str) -> None:
        from pgserver._commands import pg_ctl

        pg_ctl(["-w", *args], pgdata=self.pgdata, user=self._server.system_user, timeout=30)

    def stop(self) -> None:
        """Fast shutdown: open connections are cut, new ones are refused."""
        self._pg_ctl("-m", "fast", "stop")

    def start(self) -> None:
        """Start again with the options of the last start (socket dir, no TCP)."""
        self._pg_ctl("-l", str(self.pgdata / "log"), "restart")

    def close(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None
        shutil.rmtree(self.pgdata, ignore_errors=True)
