"""OPML (the podcast apps' subscription list format): export, and reading one back.

Read with the standard library's parser; a document declaring a DOCTYPE or entities (the
"billion laughs" expansion) is refused before parsing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from revenge.integrations.models import PodcastFeed


class OpmlInvalid(ValueError):
    """Not an OPML document this server can read; the message says why."""


@dataclass(frozen=True)
class Outline:
    url: str
    title: str | None


def export(feeds: list[PodcastFeed], server_name: str) -> str:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = f"{server_name} podcast subscriptions"
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = ET.SubElement(root, "body")
    for feed in feeds:
        title = feed.title or feed.url
        attributes = {"type": "rss", "text": title, "title": title, "xmlUrl": feed.url}
        if feed.link:
            attributes["htmlUrl"] = feed.link
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")


def read(document: str) -> list[Outline]:
    """Every outline with an `xmlUrl`, nested folders included, in document order."""
    if "<!DOCTYPE" in document.upper() or "<!ENTITY" in document.upper():
        raise OpmlInvalid("OPML with a DOCTYPE or entities is not accepted")
    try:
        root = ET.fromstring(document)
    except ET.ParseError as exc:
        raise OpmlInvalid(f"not well-formed XML: {exc}") from None
    if root.tag.lower() != "opml":
        raise OpmlInvalid(f"the document is <{root.tag}>, not <opml>")
    found: list[Outline] = []
    for node in root.iter("outline"):
        url = (node.get("xmlUrl") or node.get("xmlurl") or "").strip()
        if url:
            found.append(Outline(url, node.get("title") or node.get("text")))
    return found
