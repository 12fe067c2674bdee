"""Outbound image fetches through the one SSRF guard (`revenge.infra.http`).

Every connection, on every redirect hop, goes through the guarded transport: the host name
is resolved once, the address connected to must be public or allowlisted by an admin in
`http.outbound_allowlist` (by host name or by network, see infra/http/guard.py), and TLS still
verifies the original name. On top of the guard this module adds what artwork needs: at most
five redirects followed by hand, a streamed size cap, and refusals with a stable reason code.

httpx's timeout bounds each network read, not the whole exchange, so a server trickling a
byte at a time could hold a download until the job's own timeout; a deadline (as in
`safe_fetch`) covers every hop, the connects and the complete body.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from revenge.images.errors import ImageRefused
from revenge.infra.http import (
    Allowlist,
    FetchError,
    OutboundBlocked,
    UnsupportedURL,
    check_url,
    guarded_transport,
    is_public_address,
)
from revenge.infra.http.guard import parse_ip_literal

MAX_REDIRECTS = 5

# The current allowlist: a runtime setting, read again for every download.
AllowlistReader = Callable[[], Awaitable[Allowlist]]


class Fetcher(Protocol):
    async def fetch(self, url: str, max_bytes: int) -> tuple[str | None, bytes]:
        """(Content-Type header, body); raises ImageRefused with a reason."""
        ...


class SafeFetcher:
    """The default `Fetcher`: guarded pooled client, manual redirects, streamed size cap."""

    def __init__(
        self,
        allowlist: Allowlist | AllowlistReader,
        timeout: float = 15.0,
        deadline: float = 60.0,
    ) -> None:
        self.deadline = deadline
        self._read_allowlist = allowlist
        self._current = allowlist if isinstance(allowlist, Allowlist) else Allowlist()
        # The pool keeps connections alive for a few seconds: a host removed from the
        # allowlist may still be reached over an already open connection until then.
        self.client = httpx.AsyncClient(
            transport=guarded_transport(lambda: self._current, 50, 10),
            timeout=httpx.Timeout(timeout, connect=5.0),
            follow_redirects=False,
            headers={"Accept": "image/avif,image/webp,image/png,image/jpeg,image/gif"},
        )

    async def fetch(self, url: str, max_bytes: int) -> tuple[str | None, bytes]:
        try:
            async with asyncio.timeout(self.deadline):
                return await self._fetch(url, max_bytes)
        except TimeoutError:
            host = httpx.URL(url).host
            raise ImageRefused(
                "unreachable", f"{host}: no complete answer within {self.deadline:g}s"
            ) from None

    async def _fetch(self, url: str, max_bytes: int) -> tuple[str | None, bytes]:
        if not isinstance(self._read_allowlist, Allowlist):
            self._current = await self._read_allowlist()
        current = _parse_url(url, self._current)
        for _ in range(MAX_REDIRECTS + 1):
            try:
                check_url(current.scheme, current.host)
                async with self.client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        current = _parse_url(urljoin(str(current), location), self._current)
                        continue
                    return await _read(response, max_bytes)
            except UnsupportedURL as exc:
                raise ImageRefused("bad_url", str(exc)) from None
            except OutboundBlocked as exc:
                raise ImageRefused("private_address", str(exc)) from None
            except FetchError as exc:  # the guard could not resolve the name
                raise ImageRefused("unresolvable", str(exc)) from None
            except httpx.TransportError as exc:
                if isinstance(exc.__context__, OutboundBlocked):
                    raise ImageRefused("private_address", str(exc.__context__)) from None
                if isinstance(exc.__context__, FetchError):
                    raise ImageRefused("unresolvable", str(exc.__context__)) from None
                raise ImageRefused("unreachable", f"{current.host}: {exc!r}") from None
        raise ImageRefused("too_many_redirects", f"more than {MAX_REDIRECTS} redirects")

    async def aclose(self) -> None:
        await self.client.aclose()


def _parse_url(url: str, allowlist: Allowlist) -> httpx.URL:
    """The URL, or a refusal: httpx rejects some spellings resolvers accept (`0177.0.0.1`)."""
    try:
        return httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        host = urlsplit(url).hostname or ""
        ip = parse_ip_literal(host)
        if ip is not None and not is_public_address(ip) and not allowlist.allows_ip(ip):
            raise ImageRefused("private_address", f"{host} is {ip}: not a public address") from None
        raise ImageRefused("bad_url", f"{url[:200]!r}: {exc}") from None


async def _read(response: httpx.Response, max_bytes: int) -> tuple[str | None, bytes]:
    if response.status_code == 404:
        raise ImageRefused("not_found", "HTTP 404")
    if not response.is_success:
        raise ImageRefused("http_error", f"HTTP {response.status_code}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ImageRefused("too_large", f"{declared} bytes, above the {max_bytes} limit")
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise ImageRefused("too_large", f"more than {max_bytes} bytes")
    return response.headers.get("content-type"), bytes(body)
