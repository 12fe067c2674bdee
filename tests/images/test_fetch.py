"""The SSRF guard: private destinations refused at connect time and on redirects."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from revenge.images.errors import ImageRefused
from revenge.images.fetch import SafeFetcher, is_public_address
from tests.images.samples import encoded
from tests.support.fake_api import FakeApi, Reply


@pytest.fixture
async def fetcher() -> AsyncIterator[SafeFetcher]:
    guarded = SafeFetcher(["127.0.0.1"], timeout=5)
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
        assert not is_public_address(private), private
    assert is_public_address("93.184.216.34") and is_public_address("2606:4700::1111")


async def test_allowlisted_host_is_fetched(server: FakeApi, fetcher: SafeFetcher) -> None:
    server.on(
        "GET", "/poster.jpg", Reply(body=encoded("JPEG"), headers={"Content-Type": "image/jpeg"})
    )
    content_type, body = await fetcher.fetch(f"{server.url}/poster.jpg", 1_000_000)
    assert content_type == "image/jpeg" and body.startswith(b"\xff\xd8")


async def test_loopback_by_name_is_refused_at_connect_time(
    server: FakeApi, fetcher: SafeFetcher
) -> None:
    server.on("GET", "/poster.jpg", Reply(body=encoded("JPEG")))
    with pytest.raises(ImageRefused) as caught:
        await fetcher.fetch(f"http://localhost:{server.port}/poster.jpg", 1_000_000)
    assert caught.value.code == "private_address"
    assert server.calls() == []


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:{port}/poster.jpg",
        "http://[::1]:{port}/x",
    ],
)
async def test_redirect_to_a_private_address_is_refused(
    server: FakeApi, fetcher: SafeFetcher, target: str
) -> None:
    server.on("GET", "/poster.jpg", Reply(body=encoded("JPEG")))
    location = target.format(port=server.port)
    server.on("GET", "/go", Reply(302, b"", {"Location": location}))
    with pytest.raises(ImageRefused) as caught:
        await fetcher.fetch(f"{server.url}/go", 1_000_000)
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


async def test_trickling_server_is_cut_off_at_the_deadline(server: FakeApi) -> None:
    # Each byte arrives well within the per-read timeout; only the whole-request deadline ends it.
    body = encoded("JPEG")
    server.on(
        "GET",
        "/slow.jpg",
        Reply(body=body, headers={"Content-Type": "image/jpeg"}, trickle=0.05),
    )
    slow = SafeFetcher(["127.0.0.1"], timeout=5, deadline=1.0)
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
