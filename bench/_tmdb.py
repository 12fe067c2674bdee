"""A TMDb-shaped server on loopback for benches: a known catalogue, 20-50 ms per answer.

Answers `/configuration`, `/search/movie`, `/search/tv`, `/movie/{id}`, `/tv/{id}`,
`/tv/{id}/season/{n}` and `/find/{imdb id}` in the shapes of the test fixtures (those are
real TMDb answers), and serves posters (JPEG) under `/t/p/original/`. Counts API requests
(posters apart) so a bench can compare them with what the catalogue needs.
"""

from __future__ import annotations

import copy
import io
import json
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image as PILImage

from revenge.testing.fake_api import fixture


@dataclass
class Title:
    tmdb_id: int
    title: str
    year: int
    seasons: int = 0
    episodes: int = 0


@dataclass
class Catalogue:
    movies: dict[int, Title] = field(default_factory=dict)
    series: dict[int, Title] = field(default_factory=dict)
    _names: dict[tuple[str, str], list[Title]] | None = field(default=None, repr=False)

    def by_name(self, kind: str, query: str, year: int | None = None) -> list[Title]:
        """Titles named `query`; of `year` only when one is given, as TMDb's `year` and
        `first_air_date_year` filters do (without them, "Mission - Impossible II" of 1999
        and of 2000 would both be found, too close to tell apart)."""
        names = self._names
        if names is None:
            # Built on first use, once the catalogue is filled in, and published whole: the
            # server's threads search at once, and one must never see half an index.
            names = {}
            for pool, name in ((self.movies, "movie"), (self.series, "tv")):
                for t in pool.values():
                    names.setdefault((name, fold(t.title)), []).append(t)
            self._names = names
        found = names.get((kind, fold(query)), [])
        return [t for t in found if year in (None, t.year)]


def fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _poster(n: int) -> bytes:
    rgb = ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256)
    picture = PILImage.new("RGB", (300, 450), rgb)
    for x in range(0, 300, 30):  # a little structure for the blurhash to describe
        picture.paste((255 - rgb[0], rgb[1], 255 - rgb[2]), (x, 0, x + 10, 450))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80)
    return out.getvalue()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client gone mid-answer (the server under test stopping) is no bench error."""


class TmdbServer:
    def __init__(self, catalogue: Catalogue, latency: tuple[float, float] = (0.02, 0.05)):
        self.catalogue = catalogue
        self.latency = latency
        self.requests: Counter[str] = Counter()
        self.images = 0
        self._lock = threading.Lock()
        self._posters = [_poster(n) for n in range(16)]
        self._movie = fixture("tmdb/movie_603")
        self._tv = fixture("tmdb/tv_1396")
        self._season = fixture("tmdb/tv_1396_season_1")
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.request_queue_size = 256

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def api_requests(self) -> int:
        with self._lock:
            return sum(self.requests.values())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                time.sleep(random.uniform(*server.latency))
                status, body, kind = server.answer(parts.path, query)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, bytes, str]:
        if path.startswith("/t/p/"):
            with self._lock:
                self.images += 1
            number = int(re.sub(r"\D", "", path) or 0)
            return 200, self._posters[number % len(self._posters)], "image/jpeg"
        with self._lock:
            self.requests[re.sub(r"\d+", "N", path)] += 1
        found = self._json(path, query)
        if found is None:
            return 404, b'{"status_code":34,"status_message":"not found"}', "application/json"
        return 200, json.dumps(found).encode(), "application/json"

    def _json(self, path: str, query: dict[str, str]) -> Any:
        cat = self.catalogue
        if path == "/configuration":
            config = fixture("tmdb/configuration")
            config["images"]["secure_base_url"] = self.url + "/t/p/"
            return config
        if path in ("/search/movie", "/search/tv"):
            kind = "movie" if path.endswith("movie") else "tv"
            year = query.get("year" if kind == "movie" else "first_air_date_year", "")
            hits = cat.by_name(kind, query.get("query", ""), int(year) if year.isdigit() else None)
            return {"page": 1, "results": [self._hit(kind, t) for t in hits],
                    "total_results": len(hits), "total_pages": 1}  # fmt: skip
        if m := re.fullmatch(r"/movie/(\d+)", path):
            movie = cat.movies.get(int(m[1]))
            return self._movie_details(movie, query) if movie else None
        if m := re.fullmatch(r"/tv/(\d+)", path):
            series = cat.series.get(int(m[1]))
            return self._series_details(series, query) if series else None
        if m := re.fullmatch(r"/tv/(\d+)/season/(\d+)", path):
            series = cat.series.get(int(m[1]))
            return self._season_of(series, int(m[2])) if series else None
        return None

    def _hit(self, kind: str, t: Title) -> dict[str, Any]:
        date = f"{t.year}-05-01"
        if kind == "movie":
            return {"id": t.tmdb_id, "title": t.title, "original_title": t.title,
                    "release_date": date, "popularity": 10.0, "overview": "A film.",
                    "poster_path": f"/{t.tmdb_id}.jpg"}  # fmt: skip
        return {"id": t.tmdb_id, "name": t.title, "original_name": t.title,
                "first_air_date": date, "popularity": 10.0, "overview": "A show.",
                "poster_path": f"/{t.tmdb_id}.jpg"}  # fmt: skip

    def _movie_details(self, t: Title, query: dict[str, str]) -> dict[str, Any]:
        data = copy.deepcopy(self._movie)
        data.update(id=t.tmdb_id, title=t.title, original_title=t.title,
                    release_date=f"{t.year}-05-01", imdb_id=f"tt{t.tmdb_id:07d}",
                    poster_path=f"/{t.tmdb_id}.jpg", backdrop_path=None,
                    belongs_to_collection=None)  # fmt: skip
        return self._appended(data, t, query)

    def _series_details(self, t: Title, query: dict[str, str]) -> dict[str, Any]:
        data = copy.deepcopy(self._tv)
        data.update(id=t.tmdb_id, name=t.title, original_name=t.title,
                    first_air_date=f"{t.year}-01-20", poster_path=f"/{t.tmdb_id}.jpg",
                    backdrop_path=None,
                    seasons=[{"season_number": n, "episode_count": t.episodes, "id": n}
                             for n in range(1, t.seasons + 1)])  # fmt: skip
        return self._appended(data, t, query)

    def _appended(self, data: dict[str, Any], t: Title, query: dict[str, str]) -> dict[str, Any]:
        """`append_to_response` parts are sent only when asked for, as TMDb does."""
        asked = set(query.get("append_to_response", "").split(","))
        for part in ("credits", "images", "external_ids"):
            if part not in asked:
                data.pop(part, None)
        if "images" in data:
            data["images"] = {"posters": [], "backdrops": [], "logos": []}
        if "external_ids" in data:
            data["external_ids"] = {"imdb_id": f"tt{t.tmdb_id:07d}"}
        return data

    def _season_of(self, t: Title, number: int) -> dict[str, Any] | None:
        if not 1 <= number <= t.seasons:
            return None
        data = copy.deepcopy(self._season)
        model = data["episodes"][0]
        data["season_number"] = number
        data["episodes"] = [
            {**model, "id": t.tmdb_id * 1000 + number * 100 + e, "season_number": number,
             "episode_number": e, "name": f"Episode {e}", "still_path": None}
            for e in range(1, t.episodes + 1)
        ]  # fmt: skip
        return data


@contextmanager
def tmdb_server(catalogue: Catalogue) -> Iterator[TmdbServer]:
    server = TmdbServer(catalogue)
    thread = threading.Thread(target=server._server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server._server.shutdown()
        server._server.server_close()
