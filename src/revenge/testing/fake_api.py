"""A real HTTP server on loopback answering from a route table, for external-API tests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

# Real answers of TMDb, TheTVDB and MusicBrainz, recorded for the metadata tests and benches.
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name: str) -> Any:
    """A JSON fixture, e.g. `fixture("tmdb/movie_603")`."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


@dataclass
class Reply:
    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # Send the body one byte at a time, this many seconds apart (a server that trickles).
    trickle: float = 0.0

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes):
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        return json.dumps(self.body).encode(), "application/json"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Handler = Callable[[Seen], Reply]


class FakeApi:
    """Routes are (method, path) -> Reply | [Reply, ...] (played in order) | handler."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.routes: dict[tuple[str, str], Reply | list[Reply] | Handler] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def on(self, method: str, path: str, reply: Reply | list[Reply] | Handler) -> None:
        self.routes[(method, path)] = reply

    def json(self, path: str, name: str, method: str = "GET") -> None:
        self.on(method, path, Reply(body=fixture(name)))

    def calls(self, path: str | None = None) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if path is None or s.path == path]

    def _answer(self, seen: Seen) -> Reply:
        reply: Reply | Handler
        with self._lock:
            self.seen.append(seen)
            route = self.routes.get((seen.method, seen.path))
            if isinstance(route, list):
                reply = route.pop(0) if len(route) > 1 else route[0]
            elif isinstance(route, Reply):
                reply = route
            elif route is None:
                reply = Reply(404, {"error": "no such route"})
            else:
                reply = route  # a handler, called outside the lock
        return reply if isinstance(reply, Reply) else reply(seen)

    def start(self) -> None:
        api = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(
                    self.command,
                    parts.path,
                    {k: v[-1] for k, v in parse_qs(parts.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                reply = api._answer(seen)
                time.sleep(api.latency + reply.delay)
                body, content_type = reply.encoded()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", content_type)
                    for key, value in reply.headers.items():
                        if key.lower() != "content-type":
                            self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if not reply.trickle:
                        self.wfile.write(body)
                    for i in range(len(body) if reply.trickle else 0):
                        self.wfile.write(body[i : i + 1])
                        self.wfile.flush()
                        time.sleep(reply.trickle)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


@contextmanager
def fake_api(latency: float = 0.0) -> Iterator[FakeApi]:
    api = FakeApi(latency)
    api.start()
    try:
        yield api
    finally:
        api.stop()
