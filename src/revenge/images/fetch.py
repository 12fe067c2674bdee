"""Outbound image fetches that cannot be pointed at private networks (SSRF guard).

The check happens at connect time, inside the HTTP client's network backend: the host name
is resolved once, every address it resolves to must be public, and the connection is made
to that vetted address (TLS still verifies the original name). Checking only the URL before
the request would leave a window for DNS rebinding. Redirects are followed by hand, at most
five, each hop re-checked; hosts an admin allowlists skip the address check.

httpx's timeout bounds each network read, not the whole exchange, so a server trickling a
byte at a time could hold a download until the job's own timeout; a deadline covers every
hop, the connects and the complete body.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from typing import Protocol
from urllib.parse import urljoin

import certifi
import httpcore
import httpx

from revenge.images.errors import ImageRefused

MAX_REDIRECTS = 5


class Fetcher(Protocol):
    async def fetch(self, url: str, max_bytes: int) -> tuple[str | None, bytes]:
        """(Content-Type header, body); raises ImageRefused with a reason."""
        ...


def is_public_address(address: str) -> bool:
    """False for private, loopback, link-local (cloud metadata), CGNAT, multicast, reserved."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, vets and connects; refuses any non-public destination."""

    def __init__(self, allowed_hosts: Iterable[str] = ()) -> None:
        self.allowed = frozenset(h.lower() for h in allowed_hosts)
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        target = host
        if host.lower() not in self.allowed:
            target = await self._vetted_address(host, port)
        return await self.inner.connect_tcp(
            target,
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def _vetted_address(self, host: str, port: int) -> str:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise ImageRefused("unreachable", f"cannot resolve {host}: {exc}") from None
        addresses = [str(info[4][0]) for info in infos]
        blocked = [a for a in addresses if not is_public_address(a)]
        if blocked or not addresses:
            raise ImageRefused(
                "private_address",
                f"{host} resolves to a non-public address ({blocked[0]})"
                if blocked
                else f"{host} has no address",
            )
        return addresses[0]

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise ImageRefused("bad_url", "unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx transport whose connection pool connects only through `GuardedBackend`."""

    def __init__(self, allowed_hosts: Iterable[str] = ()) -> None:
        # trust_env=False: an environment proxy would make the proxy, not the target, vetted.
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl.create_default_context(cafile=certifi.where()),
            max_connections=50,
            max_keepalive_connections=10,
            network_backend=GuardedBackend(allowed_hosts),
        )


def _check_url(url: httpx.URL, allowed: frozenset[str]) -> None:
    if url.scheme not in ("http", "https"):
        raise ImageRefused("bad_url", f"scheme {url.scheme!r} is not allowed")
    if not url.host:
        raise ImageRefused("bad_url", "URL without a host")
    host = url.host.lower()
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return
    if host not in allowed and not is_public_address(str(literal)):
        raise ImageRefused("private_address", f"{host} is not a public address")


class SafeFetcher:
    """The default `Fetcher`: guarded client, manual redirects, streamed size cap."""

    def __init__(
        self, allowed_hosts: Iterable[str] = (), timeout: float = 15.0, deadline: float = 60.0
    ) -> None:
        self.allowed = frozenset(h.lower() for h in allowed_hosts)
        self.deadline = deadline
        self.client = httpx.AsyncClient(
            transport=GuardedTransport(self.allowed),
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
        current = httpx.URL(url)
        for _ in range(MAX_REDIRECTS + 1):
            _check_url(current, self.allowed)
            try:
                async with self.client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        current = httpx.URL(urljoin(str(current), location))
                        continue
                    return await _read(response, max_bytes)
            except httpx.TransportError as exc:
                raise ImageRefused("unreachable", f"{current.host}: {exc!r}") from None
        raise ImageRefused("too_many_redirects", f"more than {MAX_REDIRECTS} redirects")

    async def aclose(self) -> None:
        await self.client.aclose()


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
