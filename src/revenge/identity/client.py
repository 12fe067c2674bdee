"""Who is on the other end: the client address and user agent of a request.

The address is the TCP peer's, unless the peer is a configured trusted proxy: then the
right-most `X-Forwarded-For` entry that is not itself a trusted proxy. A header sent by
anyone else is ignored, so a client cannot pick the address its failed logins count against.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from starlette.requests import Request

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class ClientInfo:
    ip: str | None
    user_agent: str | None


@dataclass(frozen=True)
class DeviceInfo:
    """The device a client says it runs on, as sign-in requests describe it."""

    device_id: str | None = None
    device_name: str | None = None
    client_name: str | None = None
    client_version: str | None = None


@lru_cache(maxsize=32)
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request: Request, trusted_proxies: list[str]) -> str | None:
    """The caller's address, reading X-Forwarded-For only from trusted proxies."""
    peer = _parse(request.client.host) if request.client else None
    if peer is None:
        return None
    networks = _networks(tuple(trusted_proxies))
    if not any(peer in net for net in networks):
        return str(peer)
    forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        addr = _parse(hop)
        if addr is None:
            break  # garbage from an untrusted hop: stop at the last good address
        if not any(addr in net for net in networks):
            return str(addr)
        peer = addr
    return str(peer)


def client_info(request: Request, trusted_proxies: list[str]) -> ClientInfo:
    agent = request.headers.get("user-agent")
    return ClientInfo(
        ip=client_ip(request, trusted_proxies), user_agent=agent[:1000] if agent else None
    )
