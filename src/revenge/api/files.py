"""Answering a stored file (infra.storage) as Starlette's FileResponse answers one on disk.

A file kept on local disk is sent by FileResponse itself. An object in object storage gets
the same answer: Content-Type, Content-Length, Last-Modified, Accept-Ranges, the caller's
headers (ETag, Cache-Control...), and for one byte range a 206 with Content-Range (416 when it
starts past the end). A request for several ranges gets the whole object, as RFC 9110 allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import formatdate

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from revenge.infra.storage import Storage


async def stored_file_response(
    storage: Storage, key: str, request: Request, media_type: str, headers: Mapping[str, str]
) -> Response | None:
    """The response for a stored object; None when it is missing."""
    path = storage.local_path(key)
    if path is not None:
        if not path.is_file():
            return None
        return FileResponse(path, media_type=media_type, headers=dict(headers))
    found = await storage.stat(key)
    if found is None:
        return None
    head = {
        **headers,
        "accept-ranges": "bytes",
        "last-modified": formatdate(found.modified.timestamp(), usegmt=True),
    }
    wanted = _wanted_range(request, head, found.size)
    if isinstance(wanted, Response):
        return wanted
    start, end = wanted or (0, found.size)
    if request.method == "HEAD":
        body = b""
    elif wanted is None:
        data = await storage.get(key)
        if data is None:
            return None
        body = data
    else:
        body = await storage.get_range(key, start, end)
    if wanted is None:
        response = Response(body, media_type=media_type, headers=head)
    else:
        head["content-range"] = f"bytes {start}-{end - 1}/{found.size}"
        response = Response(body, status_code=206, media_type=media_type, headers=head)
    response.headers["content-length"] = str(end - start)
    return response


def _wanted_range(
    request: Request, headers: Mapping[str, str], size: int
) -> tuple[int, int] | Response | None:
    """One [start, end) range to send, None for the whole object, or a 400/416 answer."""
    value = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if value is None or request.method not in ("GET", "HEAD"):
        return None
    if if_range is not None and if_range not in (headers.get("ETag"), headers["last-modified"]):
        return None
    units, _, spec = value.partition("=")
    if units.strip().lower() != "bytes" or not spec.strip():
        return PlainTextResponse("Malformed range header.", status_code=400)
    parts = [p.strip() for p in spec.split(",") if p.strip() not in ("", "-")]
    if len(parts) != 1:
        return None
    first, _, last = parts[0].partition("-")
    try:
        if not first.strip():
            start, end = max(size - int(last), 0), size
        else:
            start = int(first)
            end = min(int(last) + 1, size) if last.strip() else size
    except ValueError:
        return PlainTextResponse("Malformed range header.", status_code=400)
    if not 0 <= start < size:
        return PlainTextResponse(status_code=416, headers={"Content-Range": f"bytes */{size}"})
    if start >= end:
        return PlainTextResponse("Range header: start must be less than end", status_code=400)
    return start, end
