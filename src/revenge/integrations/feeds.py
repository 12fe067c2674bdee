"""Reading a podcast feed: fetched through the SSRF guard, parsed with `feedparser`.

`feedparser` is only ever given bytes (never a URL: it would fetch without the guard). A
document it cannot make a feed of, one over the size cap, or one whose server (or any
redirect hop) is a private address raises `FeedRefused` with the reason shown to admins.
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.sax import SAXException

import feedparser

from revenge import __version__
from revenge.infra.http.fetch import FetchError, FetchLimits, FetchResult, safe_fetch
from revenge.infra.http.guard import Allowlist, OutboundBlocked

USER_AGENT = f"Revenge/{__version__} (podcast feeds)"
_TAGS = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCKS = re.compile(r"<\s*/?\s*(?:p|br|div|li|ul|ol|h[1-6]|blockquote|tr)\b[^>]*>", re.IGNORECASE)


class FeedRefused(Exception):
    """The feed could not be used; the message is the reason recorded on the subscription."""


@dataclass
class EpisodeFacts:
    guid: str
    title: str
    enclosure_url: str
    enclosure_type: str | None
    enclosure_length: int | None
    published_at: datetime | None
    description: str | None
    duration_seconds: float | None
    image_url: str | None


@dataclass
class FeedFacts:
    title: str
    author: str | None
    description: str | None
    link: str | None
    image_url: str | None
    episodes: list[EpisodeFacts] = field(default_factory=list)


@dataclass
class FetchedFeed:
    """A 200 answer (`facts` set) or a 304 (`facts` None), with the validators to send next."""

    facts: FeedFacts | None
    etag: str | None
    last_modified: str | None


async def fetch_feed(
    url: str, etag: str | None, last_modified: str | None, allowlist: Allowlist, max_bytes: int
) -> FetchedFeed:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml,"
               " application/xml;q=0.9, */*;q=0.5"}  # fmt: skip
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    limits = FetchLimits(read_timeout=20.0, total_timeout=60.0, max_bytes=max_bytes)
    try:
        result = await safe_fetch("GET", url, allowlist=allowlist, limits=limits, headers=headers)
    except OutboundBlocked as exc:
        raise FeedRefused(f"blocked: {exc}") from None
    except FetchError as exc:
        raise FeedRefused(str(exc)) from None
    if result.status_code == 304:
        return FetchedFeed(None, etag, last_modified)
    if result.status_code != 200:
        raise FeedRefused(f"the feed's server answered HTTP {result.status_code}")
    return FetchedFeed(
        parse_feed(result), _header(result, "etag"), _header(result, "last-modified")
    )


def _header(result: FetchResult, name: str) -> str | None:
    value = result.headers.get(name)
    return value[:500] if value else None


def parse_feed(result: FetchResult) -> FeedFacts:
    parsed: Any = feedparser.parse(
        result.content, response_headers={"content-location": result.url}
    )
    feed = parsed.feed
    if not feed.get("title") and not parsed.entries:
        cause = parsed.get("bozo_exception")
        syntax = f" ({cause})" if isinstance(cause, SAXException) else ""
        raise FeedRefused(f"not an RSS or Atom feed{syntax}")
    facts = FeedFacts(
        title=_text(feed.get("title")) or result.url,
        author=_text(feed.get("author")),
        description=_plain(feed.get("summary") or feed.get("subtitle")),
        link=feed.get("link"),
        image_url=_image(feed),
    )
    facts.episodes = [e for e in (_episode(entry) for entry in parsed.entries) if e is not None]
    return facts


def _episode(entry: Any) -> EpisodeFacts | None:
    enclosure: dict[str, Any] = next(
        (link for link in entry.get("links", []) if link.get("rel") == "enclosure"), {}
    )
    url = str(enclosure.get("href", ""))
    if not url.startswith(("http://", "https://")) or "\x00" in url:
        return None
    return EpisodeFacts(
        guid=str(entry.get("id") or url).replace("\x00", "")[:2000] or url,
        title=_text(entry.get("title")) or "Untitled episode",
        enclosure_url=url,
        enclosure_type=str(enclosure.get("type") or "")[:100].replace("\x00", "") or None,
        enclosure_length=_int(enclosure.get("length")),
        published_at=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
        description=_plain(entry.get("summary") or entry.get("subtitle")),
        duration_seconds=parse_duration(entry.get("itunes_duration")),
        image_url=_image(entry),
    )


def _image(node: Any) -> str | None:
    image = node.get("image")
    href = image.get("href") if isinstance(image, dict) else None
    if not isinstance(href, str) or "\x00" in href:
        return None
    return href if href.startswith(("http://", "https://")) else None


def _text(value: Any) -> str | None:
    # PostgreSQL text cannot hold NUL, which a feed can carry as `&#0;`.
    text = html.unescape(_TAGS.sub("", str(value))).replace("\x00", "").strip() if value else ""
    return text[:1000] or None


def _plain(value: Any) -> str | None:
    """Descriptions keep their words and paragraphs, not their markup (feeds carry HTML)."""
    if not value:
        return None
    text = html.unescape(_TAGS.sub("", _BLOCKS.sub("\n", _HIDDEN.sub("", str(value)))))
    text = text.replace("\x00", "")
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:20_000] or None


def _int(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC) if value else None
    except (TypeError, ValueError, OverflowError):
        return None


def parse_duration(value: Any) -> float | None:
    """`itunes:duration`: seconds, or [[h:]m:]s."""
    if not value:
        return None
    try:
        seconds = 0.0
        for part in str(value).strip().split(":"):
            seconds = seconds * 60 + float(part)
    except ValueError:
        return None
    return seconds if seconds > 0 else None
