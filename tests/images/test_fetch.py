"""Artwork goes through the one SSRF guard: private destinations refused on every hop."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import AsyncIterator

import pytest

from revenge.images.errors import ImageRefused
from revenge.images.fetch import SafeFetcher
from revenge.infra.http import Allowlist, is_public_address
from revenge.testing.fake_api import FakeApi, Reply
from tests.images.samples import encoded


@pytest.fixture
async def fetcher() -> AsyncIterator[SafeFetcher]:
    guarded = SafeFetcher(Allowlist.parse(["127.0.0.1"]), timeout=5)
    yield guarded
    await guarded.aclose()


def test_public_address_rules() -> None:
    for private in (
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "172.16.5.4",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fd00:ec2::254",
        "fe80::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ):
        assert not is_public_address(ipaddress.ip_address(private)), private
    for public in ("93.184.216.34", "2606:4700::1111"):
        assert is_public_address(ipaddress.ip_address(public))


async def test_allowlisted_host_is_fetched(server: FakeApi, fetcher: SafeFetcher) -> None:
    server.on(
        "GET", "/poster.jpg", Reply(body=encoded("JPEG"), headers={"Content-Type": "image/jpeg"})
    )
    content_type, body = await fetcher.fetch(f"{server.url}/poster.jpg", 1_000_000)
    assert content_type == "image/jpeg" and body.startswith(b"\xff\xd8")


async def test_loopback_by_name_is_refused_at_connect_time(server: FakeApi) -> None:
    server.on("GET", "/poster.jpg", Reply(body=encoded("JPEG")))
    unlisted = SafeFetcher(Allowlist(), timeout=5)
    try:
        for host in ("localhost", "127.0.0.1", "0x7f000001"):
            with pytest.raises(ImageRefused) as caught:
                await unlisted.fetch(f"http://{host}:{server.port}/poster.jpg", 1_000_000)
            assert caught.value.code == "private_address", host
    finally:
        await unlisted.aclose()
    assert server.calls() == []


@pytest.fixture
async def by_name() -> AsyncIterator[SafeFetcher]:
    """Allows the host name `localhost` only, not the loopback addresses as such."""
    guarded = SafeFetcher(Allowlist.parse(["localhost"]), timeout=5)
    yield guarded
    await guarded.aclose()


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:{port}/poster.jpg",
        "http://[::1]:{port}/x",
    ],
)
async def test_redirect_to_a_private_address_is_refused(
    server: FakeApi, by_name: SafeFetcher, target: str
) -> None:
    server.on("GET", "/poster.jpg", Reply(body=encoded("JPEG")))
    location = target.format(port=server.port)
    server.on("GET", "/go", Reply(302, b"", {"Location": location}))
    with pytest.raises(ImageRefused) as caught:
        await by_name.fetch(f"http://localhost:{server.port}/go", 1_000_000)
    assert caught.value.code == "private_address"
    assert [c.path for c in server.calls()] == ["/go"]


async def test_redirects_between_allowed_hosts_are_followed(
    server: FakeApi, fetcher: SafeFetcher
) -> None:
    server.on("GET", "/a", Reply(301, b"", {"Location": "/b"}))
    server.on("GET", "/b", Reply(body=b"payload"))
    assert (await fetcher.fetch(f"{server.url}/a", 100))[1] == b"payload"
    server.on("GET", "/loop", Reply(302, b"", {"Location": "/loop"}))
    with pytest.raises(ImageRefused) as caught:
        await fetcher.fetch(f"{server.url}/loop", 100)
    assert caught.value.code == "too_many_redirects"


async def test_size_cap_and_bad_urls(server: FakeApi, fetcher: SafeFetcher) -> None:
    server.on("GET", "/big", Reply(body=b"x" * 5000))
    with pytest.raises(ImageRefused) as caught:
        await fetcher.fetch(f"{server.url}/big", 1000)
    assert caught.value.code == "too_large"
    for url in ("ftp://example.org/x.jpg", "file:///etc/passwd"):
        with pytest.raises(ImageRefused) as caught:
            await fetcher.fetch(url, 1000)
        assert caught.value.code == "bad_url"


async def test_allowlist_by_name_and_by_network(server: FakeApi) -> None:
    """A name covers what it resolves to; a network covers any spelling of its addresses."""
    server.on("GET", "/a.jpg", Reply(body=b"by name"))
    server.on("GET", "/hop", Reply(302, b"", {"Location": f"http://127.0.0.1:{server.port}/a.jpg"}))
    by_name = SafeFetcher(Allowlist.parse(["LocalHost"]), timeout=5)
    by_network = SafeFetcher(Allowlist.parse(["127.0.0.0/8"]), timeout=5)
    try:
        assert (await by_name.fetch(f"http://localhost:{server.port}/a.jpg", 100))[1] == b"by name"
        with pytest.raises(ImageRefused) as caught:
            await by_name.fetch(f"http://localhost:{server.port}/hop", 100)
        assert caught.value.code == "private_address"
        encoded_ip = f"http://0x7f000001:{server.port}/a.jpg"
        assert (await by_network.fetch(encoded_ip, 100))[1] == b"by name"
        assert (await by_network.fetch(f"http://localhost:{server.port}/hop", 100))[1]
    finally:
        await by_name.aclose()
        await by_network.aclose()


async def test_allowlist_is_read_for_every_download(server: FakeApi) -> None:
    server.on("GET", "/p.jpg", Reply(body=b"poster"))
    current = [Allowlist()]

    async def read() -> Allowlist:
        return current[0]

    fetcher = SafeFetcher(read, timeout=5)
    try:
        with pytest.raises(ImageRefused) as caught:
            await fetcher.fetch(f"{server.url}/p.jpg", 100)
        assert caught.value.code == "private_address"
        assert "http.outbound_allowlist" in caught.value.reason
        current[0] = Allowlist.parse(["127.0.0.1"])
        assert (await fetcher.fetch(f"{server.url}/p.jpg", 100))[1] == b"poster"
    finally:
        await fetcher.aclose()


async def test_trickling_server_is_cut_off_at_the_deadline(server: FakeApi) -> None:
    # Each byte arrives well within the per-read timeout; only the whole-request deadline ends it.
    body = encoded("JPEG")
    server.on(
        "GET",
        "/slow.jpg",
        Reply(body=body, headers={"Content-Type": "image/jpeg"}, trickle=0.05),
    )
    slow = SafeFetcher(Allowlist.parse(["127.0.0.1"]), timeout=5, deadline=1.0)
    started = time.monotonic()
    try:
        with pytest.raises(ImageRefused) as caught:
            await slow.fetch(f"{server.url}/slow.jpg", 1_000_000)
    finally:
        await slow.aclose()
    took = time.monotonic() - started
    assert len(body) * 0.05 > 10  # the full answer would take far longer than the deadline
    assert caught.value.code == "unreachable" and "within 1s" in caught.value.reason
    assert 0.9 < took < 3.0, took
