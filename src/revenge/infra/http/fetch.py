"""`safe_fetch`: outbound HTTP for user-supplied URLs, with a connect-time SSRF guard.

Every TCP connection (including each redirect hop) goes through `GuardedBackend`, which
resolves the host itself, checks every candidate address (guard.py), and connects to a
checked address, so DNS rebinding between check and connect is impossible. Connect, read and
total timeouts and a response size cap keep a slow or huge target from stalling the caller.
`guarded_transport` gives the same guard to a long-lived pooled client (artwork downloads).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

from revenge.infra.http.guard import (
    Allowlist,
    IPAddress,
    OutboundBlocked,
    check_destination,
    check_url,
    parse_ip_literal,
)

_SSL_CONTEXT: ssl.SSLContext | None = None


class FetchError(Exception):
    """The request could not complete (network error, timeout, too large, blocked)."""


class FetchTimeout(FetchError):
    pass


class ResponseTooLarge(FetchError):
    pass


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5


@dataclass
class FetchResult:
    status_code: int
    headers: httpx.Headers
    content: bytes
    url: str
    elapsed: float
    redirects: list[str] = field(default_factory=list)

    def json(self) -> Any:
        import json

        return json.loads(self.content)


class TooManyRedirects(FetchError):
    pass


# A fixed allowlist, or a way to read the current one (it is a runtime setting).
AllowlistSource = Allowlist | Callable[[], Allowlist]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """A network backend that only connects to addresses the guard allows."""

    def __init__(self, allowlist: AllowlistSource) -> None:
        self._allowlist = allowlist
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        address = await self._resolve_allowed(host, port)
        return await self._inner.connect_tcp(
            str(address), port, timeout, local_address, socket_options
        )

    async def _resolve_allowed(self, host: str, port: int) -> IPAddress:
        literal = parse_ip_literal(host)
        candidates = [literal] if literal is not None else await _resolve(host, port)
        allowlist = self._allowlist if isinstance(self._allowlist, Allowlist) else self._allowlist()
        refusal: OutboundBlocked | None = None
        for ip in candidates:
            try:
                check_destination(host, ip, allowlist)
                return ip
            except OutboundBlocked as exc:
                refusal = exc
        raise refusal or OutboundBlocked(f"{host} has no address")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise OutboundBlocked("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


async def _resolve(host: str, port: int) -> list[IPAddress]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror}") from None
    found: list[IPAddress] = []
    for info in infos:
        ip = parse_ip_literal(str(info[4][0]).split("%")[0])
        if ip is not None and ip not in found:
            found.append(ip)
    return found


async def vet_host(host: str, port: int, allowlist: Allowlist) -> None:
    """For connections made by other clients (SMTP): raise OutboundBlocked unless every
    address `host` resolves to may be connected to, FetchError when it does not resolve.

    Stricter than the HTTP guard (which connects to the first allowed address), since the
    client then resolves the name again itself.
    """
    literal = parse_ip_literal(host)
    for ip in [literal] if literal is not None else await _resolve(host, port):
        check_destination(host, ip, allowlist)


def _ssl_context() -> ssl.SSLContext:
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        _SSL_CONTEXT = httpx.create_ssl_context()
    return _SSL_CONTEXT


def guarded_transport(
    allowlist: AllowlistSource, max_connections: int = 4, max_keepalive: int | None = None
) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection passes the guard (TLS checks the URL's name).

    Redirects must be followed by the caller, calling `check_url` on each hop. A client given
    this transport ignores environment proxies (which would make the proxy, not the target,
    the address vetted).
    """
    transport = httpx.AsyncHTTPTransport(verify=_ssl_context(), retries=0)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=_ssl_context(),
        network_backend=GuardedBackend(allowlist),
        max_connections=max_connections,
        max_keepalive_connections=max_keepalive,
    )
    return transport


def guarded_client(allowlist: Allowlist, limits: FetchLimits) -> httpx.AsyncClient:
    """A client whose every connection passes the guard; redirects are followed by the caller."""
    transport = guarded_transport(allowlist)
    timeout = httpx.Timeout(
        connect=limits.connect_timeout,
        read=limits.read_timeout,
        write=limits.read_timeout,
        pool=limits.connect_timeout,
    )
    return httpx.AsyncClient(transport=transport, timeout=timeout, follow_redirects=False)


async def safe_fetch(
    method: str,
    url: str,
    *,
    allowlist: Allowlist | Iterable[str] = (),
    limits: FetchLimits | None = None,
    headers: dict[str, str] | None = None,
    content: bytes | None = None,
) -> FetchResult:
    """Fetch a user-supplied URL; raises OutboundBlocked, FetchTimeout, ResponseTooLarge."""
    limits = limits or FetchLimits()
    allowed = allowlist if isinstance(allowlist, Allowlist) else Allowlist.parse(allowlist)
    started = time.perf_counter()
    try:
        async with asyncio.timeout(limits.total_timeout), guarded_client(allowed, limits) as c:
            return await _follow(c, method, url, headers, content, limits, started)
    except TimeoutError:
        raise FetchTimeout(f"no complete answer within {limits.total_timeout:g}s") from None
    except httpx.TimeoutException as exc:
        raise FetchTimeout(f"timed out: {type(exc).__name__}") from None
    except httpx.HTTPError as exc:
        cause = exc.__context__
        if isinstance(cause, OutboundBlocked):
            raise cause from None
        raise FetchError(f"{type(exc).__name__}: {exc}") from None


async def _follow(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    headers: dict[str, str] | None,
    content: bytes | None,
    limits: FetchLimits,
    started: float,
) -> FetchResult:
    hops: list[str] = []
    current = httpx.URL(url)
    for _ in range(limits.max_redirects + 1):
        check_url(current.scheme, current.host)
        request = client.build_request(method, current, headers=headers, content=content)
        response = await client.send(request, stream=True)
        try:
            if response.is_redirect and response.next_request is not None:
                hops.append(str(current))
                current = response.next_request.url
                if response.status_code in (301, 302, 303) and method != "HEAD":
                    method, content = "GET", None
                continue
            body = await _read_capped(response, limits.max_bytes)
        finally:
            await response.aclose()
        elapsed = time.perf_counter() - started
        return FetchResult(
            response.status_code, response.headers, body, str(current), elapsed, hops
        )
    raise TooManyRedirects(f"more than {limits.max_redirects} redirects")


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(f"response of {declared} bytes exceeds {max_bytes}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLarge(f"response exceeds {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
