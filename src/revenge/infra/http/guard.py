"""The one SSRF guard: which destinations a user-supplied URL may reach.

Webhooks (`safe_fetch`) and artwork downloads (`images.fetch.SafeFetcher`) both connect
through `GuardedBackend` (fetch.py), which applies `check_destination` to the address actually
connected to (after DNS), so a name that resolves to a private address, an encoded literal
(`0x7f000001`, `2130706433`, `127.1`), an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) or a
redirect to any of these is refused the same way, on every hop.

The allowlist rule (server setting `http.outbound_allowlist`, config `[http]
outbound_allowlist`): a connection is allowed when its address is public, or when an admin
allowlisted it explicitly, in either of two ways:
- by host name: an exact name (`nas.lan`, case-insensitive) or every name under a suffix
  (`*.lan`), matched against the host of the URL being connected to, whatever it resolves to;
- by network: an IP address or CIDR network (`192.168.1.20`, `10.0.0.0/8`, `fd00::/8`),
  matched against the address connected to, whatever name led there (also when it is written
  as an IP literal or embedded in an IPv6 address).
Anything else that is not a globally routable unicast address is refused.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Not always covered by `is_global`: cloud metadata (also link-local) and NAT64 prefixes
# that embed an IPv4 address.
_EXTRA_BLOCKED: tuple[IPNetwork, ...] = (
    ipaddress.ip_network("169.254.0.0/16"),
    ipaddress.ip_network("100.64.0.0/10"),
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
    ipaddress.ip_network("fd00:ec2::/32"),
)


class OutboundBlocked(Exception):
    """The destination is not allowed (private, loopback, metadata, ...)."""


class UnsupportedURL(OutboundBlocked):
    """The URL itself is refused: not http(s), or no host."""


def check_url(scheme: str, host: str) -> None:
    """Raise UnsupportedURL unless a URL (or redirect target) may be fetched at all."""
    if scheme not in ("http", "https"):
        raise UnsupportedURL(f"scheme {scheme!r} is not allowed")
    if not host:
        raise UnsupportedURL("URL without a host")


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address carried inside an IPv6 one (mapped, compatible, 6to4), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    packed = ip.packed
    if packed[:12] == bytes(12) and ip not in (
        ipaddress.IPv6Address("::"),
        ipaddress.IPv6Address("::1"),
    ):
        return ipaddress.IPv4Address(packed[12:])
    return None


def is_public_address(ip: IPAddress) -> bool:
    """True only for globally routable unicast addresses."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        return is_public_address(inner)
    if ip.is_multicast or ip.is_unspecified or ip.is_loopback or ip.is_link_local:
        return False
    if ip.is_private or ip.is_reserved or not ip.is_global:
        return False
    return not any(ip in net for net in _EXTRA_BLOCKED if net.version == ip.version)


def parse_ip_literal(host: str) -> IPAddress | None:
    """Parse a host as an IP in any form a resolver accepts (hex, octal, integer, short)."""
    text = host.strip("[]")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    import socket

    try:
        return ipaddress.IPv4Address(socket.inet_aton(text))
    except OSError:
        return None


@dataclass(frozen=True)
class Allowlist:
    """Host names (exact, case-insensitive, or `*.suffix`) and IP networks an admin allows."""

    names: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Allowlist:
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                names.add(entry)
        return cls(frozenset(names), tuple(networks))

    def allows_name(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        if host in self.names:
            return True
        return any(n.startswith("*.") and host.endswith(n[1:]) for n in self.names)

    def allows_ip(self, ip: IPAddress) -> bool:
        candidates = [ip]
        inner = embedded_ipv4(ip)
        if inner is not None:
            candidates.append(inner)
        return any(
            c in net for c in candidates for net in self.networks if net.version == c.version
        )


def check_destination(host: str, ip: IPAddress, allowlist: Allowlist) -> None:
    """Raise OutboundBlocked unless `ip` (resolved from `host`) may be connected to."""
    if allowlist.allows_name(host) or allowlist.allows_ip(ip):
        return
    if not is_public_address(ip):
        raise OutboundBlocked(
            f"refusing to connect to {host} ({ip}): not a public address;"
            " an admin can allow it in http.outbound_allowlist"
        )
