"""A private PostgreSQL inside the data directory, from the `pgserver` wheel."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class EmbeddedPostgres:
    """Starts (or reuses) PostgreSQL under `<data_dir>/pg`, stops it on `stop()`."""

    def __init__(self, data_dir: Path) -> None:
        self.pgdata = data_dir / "pg"
        self._server: Any = None

    def start(self) -> str:
        """Start the server if needed and return its libpq URL."""
        import pgserver

        self.pgdata.mkdir(parents=True, exist_ok=True)
        # cleanup_mode="stop" stops the postmaster when we stop but keeps the data.
        self._server = pgserver.get_server(  # type: ignore[attr-defined]
            self.pgdata, cleanup_mode="stop"
        )
        url: str = self._server.get_uri()
        log.info("embedded PostgreSQL ready in %s", self.pgdata)
        return url

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None
