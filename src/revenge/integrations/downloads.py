"""Downloading one podcast episode into its show's folder, through the SSRF guard.

The file is written as `<name>.part` and renamed when complete, so a scan never catalogues
half an episode. A `.part` left by an interrupted download is resumed with a `Range`
request; a server that ignores it (200) is read from the start again. More than the size
cap (declared or actually sent) stops the download and removes the partial file.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import BinaryIO

import httpx

from revenge.infra.http.fetch import FetchLimits, guarded_client
from revenge.infra.http.guard import Allowlist, OutboundBlocked, check_url
from revenge.integrations.feeds import USER_AGENT

CHUNK = 256 * 1024
MAX_REDIRECTS = 5


class DownloadFailed(Exception):
    """The episode could not be downloaded; the message says why."""


async def download(url: str, target: Path, allowlist: Allowlist, max_bytes: int) -> int:
    """Download `url` to `target`; returns its size. Raises DownloadFailed."""
    part = target.with_name(target.name + ".part")
    limits = FetchLimits(read_timeout=60.0, total_timeout=6 * 3600.0, max_bytes=max_bytes)
    try:
        async with guarded_client(allowlist, limits) as client:
            await _fetch(client, url, part, max_bytes)
    except OutboundBlocked as exc:
        raise DownloadFailed(f"blocked: {exc}") from None
    except httpx.HTTPError as exc:
        cause = exc.__context__
        if isinstance(cause, OutboundBlocked):
            raise DownloadFailed(f"blocked: {cause}") from None
        raise DownloadFailed(f"{type(exc).__name__}: {exc}") from None
    except OSError as exc:
        raise DownloadFailed(f"cannot write {target}: {exc.strerror}") from None
    return await asyncio.to_thread(_finish, part, target)


def _finish(part: Path, target: Path) -> int:
    os.replace(part, target)
    return target.stat().st_size


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


async def open_followed(
    client: httpx.AsyncClient, url: str, headers: dict[str, str]
) -> httpx.Response:
    """The streamed answer to a GET of `url`, redirects followed (each hop checked, each
    connection guarded); the caller closes it."""
    current = httpx.URL(url)
    for _ in range(MAX_REDIRECTS + 1):
        check_url(current.scheme, current.host)
        request = client.build_request("GET", current, headers=headers)
        response = await client.send(request, stream=True)
        if not (response.is_redirect and response.next_request is not None):
            return response
        current = response.next_request.url
        await response.aclose()
    raise DownloadFailed(f"more than {MAX_REDIRECTS} redirects")


async def _fetch(client: httpx.AsyncClient, url: str, part: Path, max_bytes: int) -> None:
    have = await asyncio.to_thread(_size, part)
    headers = {"User-Agent": USER_AGENT}
    if have:
        headers["Range"] = f"bytes={have}-"
    response = await open_followed(client, url, headers)
    try:
        if response.status_code == 416 and have:
            return  # the partial file already holds everything
        if response.status_code not in (200, 206):
            raise DownloadFailed(f"the server answered HTTP {response.status_code}")
        resume = response.status_code == 206 and have > 0
        await _write(response, part, have if resume else 0, max_bytes)
    finally:
        await response.aclose()


async def _write(response: httpx.Response, part: Path, offset: int, max_bytes: int) -> None:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and offset + int(declared) > max_bytes:
        await asyncio.to_thread(part.unlink, missing_ok=True)
        raise DownloadFailed(f"episode of {offset + int(declared)} bytes exceeds {max_bytes}")
    size = offset
    out = await asyncio.to_thread(_open, part, offset)
    try:
        async for chunk in response.aiter_bytes(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                break
            await asyncio.to_thread(out.write, chunk)
    finally:
        await asyncio.to_thread(out.close)
    if size > max_bytes:
        await asyncio.to_thread(part.unlink, missing_ok=True)
        raise DownloadFailed(f"episode exceeds {max_bytes} bytes")


def _open(part: Path, offset: int) -> BinaryIO:
    """The partial file, positioned at `offset` (0: emptied).

    Only the show's folder is created, never the library folder above it: an unmounted
    disk must fail the download, not fill the mount point underneath.
    """
    part.parent.mkdir(exist_ok=True)
    out = part.open("r+b" if offset else "wb")
    out.seek(offset)
    out.truncate()
    return out
