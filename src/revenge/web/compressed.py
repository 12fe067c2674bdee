"""The app's static files, gzip-compressed once and kept in memory, answered with an ETag.

The files are small and few (the app has no build step), so each is read, hashed and compressed
on its first request and served from memory after; a changed file (new mtime or size) is read
again. A browser revalidating with `If-None-Match` gets a 304 without a body. Compression takes
the scripts and styles of the first page to about a quarter of their size.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

# Types are named here rather than guessed from the system's tables, which vary (.mjs is absent
# from some, and a module served as text/plain is refused by browsers).
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".LICENSE": "text/plain; charset=utf-8",
}
# Already compressed (images, fonts) or too small to gain: sent as they are.
_COMPRESSIBLE = ("text/", "application/json", "image/svg+xml")
_MIN_SIZE = 512


@dataclass(frozen=True)
class Packed:
    body: bytes
    gzipped: bytes | None
    etag: str
    media_type: str


@lru_cache(maxsize=1024)
def _pack(path: Path, mtime_ns: int, size: int) -> Packed:
    """The file's bytes, gzipped bytes and ETag (cached per path, mtime and size)."""
    del mtime_ns, size  # part of the cache key only
    body = path.read_bytes()
    media_type = (
        _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )
    gzipped = None
    if len(body) >= _MIN_SIZE and media_type.startswith(_COMPRESSIBLE):
        packed = gzip.compress(body, compresslevel=9, mtime=0)
        gzipped = packed if len(packed) < len(body) else None
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    return Packed(body, gzipped, etag, media_type)


def find(root: Path, relative: str) -> Path | None:
    """The file at `relative` under `root`, or None when absent or outside it (after resolving)."""
    base = root.resolve()
    try:
        target = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not target.is_relative_to(base) or not target.is_file():
        return None
    return target


def _accepts_gzip(request: Request) -> bool:
    offered = request.headers.get("accept-encoding", "")
    for part in offered.lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*") and params.replace(" ", "") not in ("q=0", "q=0.0"):
            return True
    return False


def file_response(path: Path, request: Request, headers: dict[str, str]) -> Response:
    """`path` (an existing file), compressed when the browser takes gzip; 304 when unchanged."""
    stat = path.stat()
    packed = _pack(path, stat.st_mtime_ns, stat.st_size)
    common = {**headers, "ETag": packed.etag, "Vary": "Accept-Encoding"}
    tags = request.headers.get("if-none-match", "")
    if packed.etag in (t.strip().removeprefix("W/") for t in tags.split(",")):
        return Response(status_code=304, headers=common)
    if packed.gzipped is not None and _accepts_gzip(request):
        return Response(
            packed.gzipped,
            media_type=packed.media_type,
            headers={**common, "Content-Encoding": "gzip"},
        )
    return Response(packed.body, media_type=packed.media_type, headers=common)
