"""The SSRF guard refuses private destinations in every form, at connect time."""

from __future__ import annotations

import ipaddress
import time

import pytest

from revenge.infra.http import (
    Allowlist,
    FetchLimits,
    FetchTimeout,
    OutboundBlocked,
    ResponseTooLarge,
    is_public_address,
    safe_fetch,
)
from revenge.testing.http_server import LoopbackServer, Received, Reply

BLOCKED_HOSTS = ["127.0.0.1", "[::1]", "169.254.169.254", "0x7f000001", "2130706433", "127.1"]


@pytest.mark.parametrize("host", BLOCKED_HOSTS)
async def test_private_destinations_are_refused(host: str) -> None:
    async with LoopbackServer() as server:
        with pytest.raises(OutboundBlocked, match="not a public address"):
            await safe_fetch("GET", f"http://{host}:{server.port}/hook")
    assert server.received == []


async def test_name_resolving_to_loopback_is_refused() -> None:
    async with LoopbackServer() as server:
        with pytest.raises(OutboundBlocked):
            await safe_fetch("GET", f"http://localhost:{server.port}/")
    assert server.received == []


async def test_allowlisted_loopback_is_reached() -> None:
    async with LoopbackServer(lambda r: Reply(body=b"hello")) as server:
        result = await safe_fetch("GET", f"{server.url}/x", allowlist=["127.0.0.1"])
        encoded = await safe_fetch(
            "GET", f"http://0x7f000001:{server.port}/y", allowlist=["127.0.0.0/8"]
        )
    assert result.status_code == 200 and result.content == b"hello"
    assert encoded.status_code == 200
    assert [r.path for r in server.received] == ["/x", "/y"]


async def test_redirect_to_loopback_is_refused_on_the_hop() -> None:
    """The first hop (allowlisted by name) may answer; its redirect to 127.0.0.1 may not."""

    def handler(request: Received) -> Reply:
        if request.path == "/start":
            return Reply(302, b"", {"Location": f"http://127.0.0.1:{server.port}/secret"})
        return Reply(body=b"secret")

    async with LoopbackServer(handler) as server:
        with pytest.raises(OutboundBlocked):
            await safe_fetch(
                "GET", f"http://localhost:{server.port}/start", allowlist=["localhost"]
            )
        followed = await safe_fetch(
            "GET", f"http://localhost:{server.port}/start", allowlist=["localhost", "127.0.0.1"]
        )
    assert [r.path for r in server.received] == ["/start", "/start", "/secret"]
    assert followed.content == b"secret" and followed.redirects


async def test_hanging_target_times_out() -> None:
    limits = FetchLimits(connect_timeout=1, read_timeout=5, total_timeout=0.5)
    async with LoopbackServer(lambda r: Reply(hang=True)) as server:
        started = time.monotonic()
        with pytest.raises(FetchTimeout):
            await safe_fetch("GET", server.url, allowlist=["127.0.0.1"], limits=limits)
    assert time.monotonic() - started < 2


async def test_huge_response_is_cut_off() -> None:
    limits = FetchLimits(max_bytes=64 * 1024)
    async with LoopbackServer(lambda r: Reply(stream_bytes=50 * 1024 * 1024)) as server:
        with pytest.raises(ResponseTooLarge):
            await safe_fetch("GET", server.url, allowlist=["127.0.0.1"], limits=limits)


async def test_non_http_schemes_are_refused() -> None:
    with pytest.raises(OutboundBlocked, match="scheme"):
        await safe_fetch("GET", "file:///etc/passwd")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("172.16.5.5", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:8.8.8.8", True),
        ("64:ff9b::7f00:1", False),
        ("2002:7f00:1::", False),
    ],
)
def test_address_classification(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


def test_allowlist_matches_names_wildcards_and_networks() -> None:
    allow = Allowlist.parse(["hooks.example.org", "*.lan", "10.0.0.0/8"])
    assert allow.allows_name("HOOKS.example.org") and allow.allows_name("nas.lan")
    assert not allow.allows_name("example.org")
    assert allow.allows_ip(ipaddress.ip_address("10.9.9.9"))
    assert allow.allows_ip(ipaddress.ip_address("::ffff:10.9.9.9"))
    assert not allow.allows_ip(ipaddress.ip_address("192.168.1.1"))
