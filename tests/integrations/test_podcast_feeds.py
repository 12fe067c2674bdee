"""Podcast feeds served by a real local HTTP server: polls, downloads, refusals, OPML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest
from sqlalchemy import text

from revenge.infra.http.fetch import FetchResult
from revenge.infra.http.guard import Allowlist
from revenge.integrations.downloads import DownloadFailed, download
from revenge.integrations.feeds import fetch_feed, parse_feed
from revenge.runtime import Runtime
from revenge.testing.auth import USER
from revenge.testing.http_server import LoopbackServer, Received, Reply
from tests.images.samples import encoded
from tests.integrations.conftest import queued, run_queued, set_setting
from tests.libraries.conftest import AS_ADMIN, AS_USER, LibraryMaker
from tests.libraries.helpers import rows
from tests.support.media import make_audio


@dataclass
class Episode:
    guid: str
    title: str
    day: datetime
    audio: bytes
    slug: str


@dataclass
class PodcastHost:
    """A podcast host: an RSS 2.0 + iTunes feed with ETag/Last-Modified, and its MP3s."""

    title: str
    episodes: list[Episode] = field(default_factory=list)
    version: int = 1
    base: str = ""
    path: str = "/feed.xml"

    @property
    def etag(self) -> str:
        return f'"feed-v{self.version}"'

    def rss(self) -> bytes:
        items = "".join(
            f"""
    <item>
      <title>{escape(e.title)}</title>
      <guid isPermaLink="false">{e.guid}</guid>
      <pubDate>{format_datetime(e.day)}</pubDate>
      <description><![CDATA[<p>All about <b>{escape(e.title)}</b>.</p>]]></description>
      <enclosure url="{self.base}/media/{e.slug}.mp3" length="{len(e.audio)}" type="audio/mpeg"/>
      <itunes:duration>00:01</itunes:duration>
      <itunes:image href="{self.base}/art/{e.slug}.jpg"/>
    </item>"""
            for e in reversed(self.episodes)
        )
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <channel>
    <title>{escape(self.title)}</title>
    <link>https://example.com/show</link>
    <description>A show about tests.</description>
    <itunes:author>Ada Lovelace</itunes:author>
    <itunes:image href="{self.base}/art/show.jpg"/>{items}
  </channel>
</rss>""".encode()

    def answer(self, request: Received) -> Reply:
        if request.path == self.path:
            if request.headers.get("if-none-match") == self.etag:
                return Reply(304, b"", {"ETag": self.etag})
            headers = {"Content-Type": "application/rss+xml", "ETag": self.etag}
            return Reply(200, self.rss(), headers)
        if request.path.startswith("/art/"):
            return Reply(200, encoded("JPEG"), {"Content-Type": "image/jpeg"})
        for episode in self.episodes:
            if request.path == f"/media/{episode.slug}.mp3":
                return _ranged(episode.audio, request)
        return Reply(404, b"not found")


def _ranged(body: bytes, request: Received) -> Reply:
    wanted = request.headers.get("range", "")
    if wanted.startswith("bytes="):
        start = int(wanted[6:].split("-")[0])
        total = f"bytes {start}-{len(body) - 1}/{len(body)}"
        return Reply(206, body[start:], {"Content-Range": total, "Content-Type": "audio/mpeg"})
    return Reply(200, body, {"Content-Type": "audio/mpeg", "Accept-Ranges": "bytes"})


def _mp3(tmp_path: Path, name: str, title: str, show: str = "TS (tagged)") -> bytes:
    """A real MP3 tagged the way podcast hosts tag theirs."""
    path = make_audio(tmp_path / "src" / f"{name}.mp3", seconds=0.3,
                      tags={"title": title, "album": show, "artist": "Ada Lovelace"})  # fmt: skip
    return path.read_bytes()


@pytest.fixture
async def allow_loopback(api: httpx.AsyncClient) -> None:
    """The local servers are on 127.0.0.1, which the SSRF guard refuses unless allowlisted."""
    await set_setting(api, "http.outbound_allowlist", ["127.0.0.1"])


async def _subscribe(
    api: httpx.AsyncClient, url: str, library: dict[str, Any], mode: str = "download"
) -> dict[str, Any]:
    body = {"url": url, "library_id": library["id"], "mode": mode}
    response = await api.post("/api/v1/podcast-feeds", json=body, headers=AS_ADMIN)
    assert response.status_code == 201, response.text
    feed: dict[str, Any] = response.json()
    return feed


async def _poll_and_scan(runtime: Runtime) -> None:
    await run_queued(runtime, "podcasts.refresh")
    await run_queued(runtime, "integrations.scan_requested")
    await run_queued(runtime, "libraries.scan")


async def _feed(api: httpx.AsyncClient, feed_id: str) -> dict[str, Any]:
    response = await api.get(f"/api/v1/podcast-feeds/{feed_id}", headers=AS_ADMIN)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_new_episode_is_downloaded_and_catalogued_after_a_poll(
    api: httpx.AsyncClient, clean_runtime: Runtime, make_library: LibraryMaker,
    allow_loopback: None, tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "podcasts"
    library = await make_library("podcast", root)
    host = PodcastHost("Test Show")
    first = Episode("ep-1", "First Light", datetime(2026, 11, 23, 6, tzinfo=UTC),
                    _mp3(tmp_path, "one", "First Light"), "one")  # fmt: skip
    host.episodes.append(first)
    async with LoopbackServer(host.answer) as server:
        host.base = server.url
        feed = await _subscribe(api, f"{server.url}/feed.xml", library)
        await _poll_and_scan(clean_runtime)
        polled = await _feed(api, feed["id"])
        assert polled["status"] == "ok" and polled["error"] is None
        assert polled["title"] == "Test Show" and polled["author"] == "Ada Lovelace"
        assert polled["image_url"] == f"{server.url}/art/show.jpg"
        show_folder = root / "Test Show"
        assert (show_folder / "2026-11-23 - First Light.mp3").read_bytes() == first.audio

        # Unchanged feed: the server answers 304 to our ETag and nothing happens.
        media_requests = sum(1 for r in server.received if r.path.startswith("/media/"))
        await api.post(f"/api/v1/podcast-feeds/{feed['id']}/poll", headers=AS_ADMIN)
        await run_queued(clean_runtime, "podcasts.refresh")
        assert server.received[-1].headers["if-none-match"] == host.etag
        assert sum(1 for r in server.received if r.path.startswith("/media/")) == media_requests
        assert await queued(clean_runtime, "integrations.scan_requested") == []

        # The show publishes an episode: the next poll downloads it, a scan catalogues it.
        second = Episode("ep-2", "Second Wind", datetime(2026, 11, 30, 6, tzinfo=UTC),
                         _mp3(tmp_path, "two", "Second Wind"), "two")  # fmt: skip
        host.episodes.append(second)
        host.version += 1
        await api.post(f"/api/v1/podcast-feeds/{feed['id']}/poll", headers=AS_ADMIN)
        await _poll_and_scan(clean_runtime)
        assert (show_folder / "2026-11-30 - Second Wind.mp3").read_bytes() == second.audio
        # Once catalogued, the feed's titles, descriptions and artwork are applied.
        assert await run_queued(clean_runtime, "podcasts.sync") >= 1
        assert await run_queued(clean_runtime, "images.download") >= 1

    shows = (await api.get("/api/v1/podcasts", headers=AS_ADMIN)).json()["items"]
    assert [(s["title"], s["episode_count"]) for s in shows] == [("Test Show", 2)]
    show = await api.get(f"/api/v1/podcasts/{shows[0]['id']}", headers=AS_ADMIN)
    assert show.status_code == 200, show.text
    assert show.json()["description"] == "A show about tests."
    assert [i["kind"] for i in show.json()["images"]] == ["poster"]
    url = f"/api/v1/podcasts/{shows[0]['id']}/episodes"
    newest = (await api.get(url, headers=AS_ADMIN)).json()["items"]
    assert [e["title"] for e in newest] == ["Second Wind", "First Light"]
    oldest = (await api.get(url, params={"order": "asc"}, headers=AS_ADMIN)).json()["items"]
    assert [e["title"] for e in oldest] == ["First Light", "Second Wind"]
    episode = await api.get(f"/api/v1/podcasts/episodes/{newest[0]['id']}", headers=AS_ADMIN)
    assert episode.json()["description"] == "All about Second Wind."
    assert [i["kind"] for i in episode.json()["images"]] == ["poster"]
    items = await api.get(f"/api/v1/podcast-feeds/{feed['id']}/episodes", headers=AS_ADMIN)
    assert [(e["title"], e["status"]) for e in items.json()] == [
        ("Second Wind", "downloaded"), ("First Light", "downloaded"),
    ]  # fmt: skip
    assert items.json()[0]["description"] == "All about Second Wind."


async def test_refused_feeds_record_why_and_leave_others_alone(
    api: httpx.AsyncClient, clean_runtime: Runtime, make_library: LibraryMaker,
    allow_loopback: None, tmp_path: Path,
) -> None:  # fmt: skip
    library = await make_library("podcast", tmp_path / "podcasts")
    await set_setting(api, "podcasts.max_feed_bytes", 65536)
    host = PodcastHost("Good Show")
    host.episodes.append(Episode("g-1", "Fine", datetime(2026, 11, 1, tzinfo=UTC),
                                 _mp3(tmp_path, "g", "Fine", "Good Show"), "g"))  # fmt: skip

    def answer(request: Received) -> Reply:
        if request.path == "/moved.xml":
            # A public-looking feed that redirects to the cloud metadata address.
            return Reply(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})
        if request.path == "/huge.xml":
            return Reply(
                200, stream_bytes=1024 * 1024, headers={"Content-Type": "application/rss+xml"}
            )
        if request.path == "/broken.xml":
            return Reply(
                200, b"<html><body>Not a feed</body></html>", {"Content-Type": "text/html"}
            )
        return host.answer(request)

    async with LoopbackServer(answer) as server:
        host.base = server.url
        feeds = {
            name: await _subscribe(api, f"{server.url}/{name}.xml", library)
            for name in ("moved", "huge", "broken", "feed")
        }
        await _poll_and_scan(clean_runtime)
        states = {name: await _feed(api, f["id"]) for name, f in feeds.items()}

    assert states["moved"]["status"] == "error"
    assert "169.254.169.254" in states["moved"]["error"]
    assert "not a public address" in states["moved"]["error"]
    assert states["huge"]["status"] == "error" and "exceeds 65536" in states["huge"]["error"]
    assert states["broken"]["status"] == "error"
    assert "not an RSS or Atom feed" in states["broken"]["error"]
    assert states["feed"]["status"] == "ok" and states["feed"]["error"] is None
    shows = (await api.get("/api/v1/podcasts", headers=AS_ADMIN)).json()["items"]
    assert [(s["title"], s["episode_count"]) for s in shows] == [("Good Show", 1)]
    assert len(await rows(clean_runtime, "SELECT id FROM podcast_feed_episodes")) == 1


async def test_opml_export_then_import_round_trip(
    api: httpx.AsyncClient, clean_runtime: Runtime, make_library: LibraryMaker,
    allow_loopback: None, tmp_path: Path,
) -> None:  # fmt: skip
    library = await make_library("podcast", tmp_path / "podcasts")
    hosts = {
        "/a.xml": PodcastHost("Alpha & Omega", path="/a.xml"),
        "/b.xml": PodcastHost("Beta <Cast>", path="/b.xml"),
    }

    def answer(request: Received) -> Reply:
        host = hosts.get(request.path)
        return host.answer(request) if host is not None else Reply(404)

    async with LoopbackServer(answer) as server:
        urls = [f"{server.url}/a.xml", f"{server.url}/b.xml"]
        for url in urls:
            await _subscribe(api, url, library, mode="stream")
        await run_queued(clean_runtime, "podcasts.refresh")
    exported = await api.get("/api/v1/podcast-feeds/opml", headers=AS_ADMIN)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/x-opml")
    assert 'text="Alpha &amp; Omega"' in exported.text

    for feed in (await api.get("/api/v1/podcast-feeds", headers=AS_ADMIN)).json():
        gone = await api.delete(f"/api/v1/podcast-feeds/{feed['id']}", headers=AS_ADMIN)
        assert gone.status_code == 204
    body = {"opml": exported.text, "library_id": library["id"], "mode": "stream"}
    imported = await api.post("/api/v1/podcast-feeds/opml", json=body, headers=AS_ADMIN)
    assert imported.status_code == 201, imported.text
    assert sorted(f["url"] for f in imported.json()["added"]) == urls
    again = await api.post("/api/v1/podcast-feeds/opml", json=body, headers=AS_ADMIN)
    assert again.json()["added"] == [] and len(again.json()["skipped"]) == 2
    listed = (await api.get("/api/v1/podcast-feeds", headers=AS_ADMIN)).json()
    assert sorted(f["url"] for f in listed) == urls and {f["mode"] for f in listed} == {"stream"}
    bad = {"opml": "<!DOCTYPE x [<!ENTITY a 'b'>]><opml/>", "library_id": library["id"]}
    refused = await api.post("/api/v1/podcast-feeds/opml", json=bad, headers=AS_ADMIN)
    assert refused.status_code == 400


async def test_download_resumes_a_partial_file_with_range(tmp_path: Path) -> None:
    audio = _mp3(tmp_path, "resume", "Resume")
    target = tmp_path / "show" / "episode.mp3"
    target.parent.mkdir()
    target.with_name("episode.mp3.part").write_bytes(audio[:1000])
    async with LoopbackServer(lambda r: _ranged(audio, r)) as server:
        size = await download(f"{server.url}/e.mp3", target, Allowlist.parse(["127.0.0.1"]), 10**7)
        assert server.received[-1].headers["range"] == "bytes=1000-"
    assert size == len(audio) and target.read_bytes() == audio
    assert not target.with_name("episode.mp3.part").exists()

    async with LoopbackServer(lambda r: _ranged(audio, r)) as server:
        with pytest.raises(DownloadFailed, match="exceeds"):
            await download(f"{server.url}/e.mp3", tmp_path / "big.mp3",
                           Allowlist.parse(["127.0.0.1"]), 1024)  # fmt: skip
        with pytest.raises(DownloadFailed, match="not a public address"):
            await download(f"{server.url}/e.mp3", tmp_path / "x.mp3", Allowlist(), 10**7)
        # An unmounted library folder is not recreated underneath its mount point.
        unmounted = tmp_path / "unmounted" / "Show" / "x.mp3"
        with pytest.raises(DownloadFailed, match="cannot write"):
            await download(f"{server.url}/e.mp3", unmounted, Allowlist.parse(["127.0.0.1"]), 10**7)
    assert not (tmp_path / "big.mp3.part").exists()
    assert not (tmp_path / "unmounted").exists()


async def test_keep_last_episodes_and_stream_mode(
    api: httpx.AsyncClient, clean_runtime: Runtime, make_library: LibraryMaker,
    allow_loopback: None, tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "podcasts"
    library = await make_library("podcast", root)
    await set_setting(api, "podcasts.keep_episodes", 1)
    kept = PodcastHost("Kept Show", path="/kept.xml")
    streamed = PodcastHost("Streamed Show", path="/streamed.xml")
    for n in (1, 2):
        day = datetime(2026, 10, n, tzinfo=UTC)
        kept.episodes.append(
            Episode(f"k{n}", f"Kept {n}", day, _mp3(tmp_path, f"k{n}", "x"), f"k{n}")
        )
        streamed.episodes.append(Episode(f"s{n}", f"Streamed {n}", day, b"", f"s{n}"))

    def answer(request: Received) -> Reply:
        host = kept if request.path.startswith(("/kept", "/media/k")) else streamed
        return host.answer(request)

    async with LoopbackServer(answer) as server:
        kept.base = streamed.base = server.url
        kept_feed = await _subscribe(api, f"{server.url}/kept.xml", library)
        stream_feed = await _subscribe(api, f"{server.url}/streamed.xml", library, mode="stream")
        await _poll_and_scan(clean_runtime)
        assert sorted(p.name for p in (root / "Kept Show").iterdir()) == ["2026-10-02 - Kept 2.mp3"]
        kept.episodes.append(Episode("k3", "Kept 3", datetime(2026, 10, 3, tzinfo=UTC),
                                     _mp3(tmp_path, "k3", "x"), "k3"))  # fmt: skip
        kept.version += 1
        await api.post(f"/api/v1/podcast-feeds/{kept_feed['id']}/poll", headers=AS_ADMIN)
        await _poll_and_scan(clean_runtime)
        assert sorted(p.name for p in (root / "Kept Show").iterdir()) == ["2026-10-03 - Kept 3.mp3"]
        assert not any(r.path.startswith("/media/s") for r in server.received)

    url = f"/api/v1/podcast-feeds/{kept_feed['id']}/episodes"
    states = [(e["title"], e["status"]) for e in (await api.get(url, headers=AS_ADMIN)).json()]
    assert states == [("Kept 3", "downloaded"), ("Kept 2", "removed"), ("Kept 1", "skipped")]
    # Streamed episodes are listed, with the feed's own URL to play, to users of the library.
    url = f"/api/v1/podcast-feeds/{stream_feed['id']}/episodes"
    assert (await api.get(url, headers=AS_USER)).status_code == 404
    async with clean_runtime.db.transaction() as session:
        await session.execute(
            text("INSERT INTO library_access (library_id, user_id) VALUES (:l, :u)"),
            {"l": library["id"], "u": USER.user_id},
        )
    listed = (await api.get(url, headers=AS_USER)).json()
    assert [(e["title"], e["status"]) for e in listed] == [
        ("Streamed 2", "available"), ("Streamed 1", "available"),
    ]  # fmt: skip
    assert listed[0]["enclosure_url"] == f"{server.url}/media/s2.mp3"
    assert not (root / "Streamed Show").exists()


async def test_if_modified_since_when_the_host_sends_no_etag() -> None:
    sent = "Mon, 30 Nov 2026 06:00:00 GMT"
    host = PodcastHost("Dated Show")

    def answer(request: Received) -> Reply:
        if request.headers.get("if-modified-since") == sent:
            return Reply(304, b"")
        return Reply(200, host.rss(), {"Last-Modified": sent})

    allow = Allowlist.parse(["127.0.0.1"])
    async with LoopbackServer(answer) as server:
        first = await fetch_feed(f"{server.url}/feed.xml", None, None, allow, 10**6)
        assert first.facts is not None and first.facts.title == "Dated Show"
        assert (first.etag, first.last_modified) == (None, sent)
        again = await fetch_feed(f"{server.url}/feed.xml", None, first.last_modified, allow, 10**6)
        assert again.facts is None and again.last_modified == sent


async def test_streamed_episode_plays_through_the_server_with_ranges(
    api: httpx.AsyncClient, clean_runtime: Runtime, make_library: LibraryMaker,
    allow_loopback: None, tmp_path: Path,
) -> None:  # fmt: skip
    library = await make_library("podcast", tmp_path / "podcasts")
    host = PodcastHost("Live Show")
    audio = _mp3(tmp_path, "live", "Live")
    host.episodes.append(Episode("l1", "Live", datetime(2026, 11, 2, tzinfo=UTC), audio, "l1"))
    async with LoopbackServer(host.answer) as server:
        host.base = server.url
        feed = await _subscribe(api, f"{server.url}/feed.xml", library, mode="stream")
        await run_queued(clean_runtime, "podcasts.refresh")
        items = await api.get(f"/api/v1/podcast-feeds/{feed['id']}/episodes", headers=AS_ADMIN)
        url = f"/api/v1/podcast-feeds/{feed['id']}/episodes/{items.json()[0]['id']}/stream"
        whole = await api.get(url, headers=AS_ADMIN)
        assert whole.status_code == 200 and whole.content == audio
        assert whole.headers["content-type"] == "audio/mpeg"
        part = await api.get(url, headers={**AS_ADMIN, "Range": "bytes=100-"})
        assert part.status_code == 206 and part.content == audio[100:]
        assert part.headers["content-range"] == f"bytes 100-{len(audio) - 1}/{len(audio)}"
        # The relay goes through the SSRF guard like every other outbound request.
        await set_setting(api, "http.outbound_allowlist", [])
        refused = await api.get(url, headers=AS_ADMIN)
        assert refused.status_code == 502, refused.text
        assert "not a public address" in refused.json()["detail"]
    assert not (tmp_path / "podcasts" / "Live Show").exists()


def test_feed_text_is_plain_and_storable() -> None:
    """NUL (`&#0;`, which PostgreSQL text cannot hold) and markup never reach the database."""
    document = (
        b'<rss version="2.0"><channel><title>A&#0;B</title><item><title>x&#0;y</title>'
        b"<guid>g-1</guid><description><![CDATA[<p>One</p><script>alert(1)</script>"
        b'<p>Two &amp; three</p>]]></description><enclosure url="https://h.example/a.mp3"'
        b' type="audio/mpeg" length="12"/></item><item><title>No enclosure</title></item>'
        b"</channel></rss>"
    )
    facts = parse_feed(FetchResult(200, httpx.Headers(), document, "https://h.example/f", 0.0))
    assert facts.title == "AB"
    assert [(e.title, e.description, e.enclosure_length) for e in facts.episodes] == [
        ("xy", "One\nTwo & three", 12)
    ]
