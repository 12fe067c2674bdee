"""Playing an episode of a `stream` subscription through this server.

The player asks this server (same origin, its own credentials, the web app's strict CSP);
the server fetches the enclosure from the feed's host through the SSRF guard, passing the
player's `Range` on, and relays the bytes as they come: nothing is stored.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from revenge.infra.http.fetch import FetchLimits, guarded_client
from revenge.infra.http.guard import Allowlist, OutboundBlocked
from revenge.integrations.downloads import DownloadFailed, open_followed
from revenge.integrations.feeds import USER_AGENT

_PASSED = ("content-length", "content-range", "accept-ranges")
PLAYABLE = ("audio/", "video/")


class RelayFailed(Exception):
    """The feed's host could not be reached or refused; the message says why."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


@dataclass
class Relayed:
    status: int
    headers: dict[str, str]
    body: AsyncIterator[bytes]


async def relay(url: str, allowlist: Allowlist, wanted: str | None, kind: str | None) -> Relayed:
    """Open the enclosure at `url` (with the player's Range); the body closes everything."""
    client = guarded_client(allowlist, FetchLimits(read_timeout=30.0))
    headers = {"User-Agent": USER_AGENT, **({"Range": wanted} if wanted else {})}
    try:
        upstream = await open_followed(client, url, headers)
    except (OutboundBlocked, DownloadFailed, httpx.HTTPError) as exc:
        await client.aclose()
        cause = exc.__context__ if isinstance(exc.__context__, OutboundBlocked) else exc
        raise RelayFailed(f"{type(cause).__name__}: {cause}") from None
    if upstream.status_code not in (200, 206):
        await upstream.aclose()
        await client.aclose()
        raise RelayFailed(
            f"the feed's host answered HTTP {upstream.status_code}", upstream.status_code
        )
    passed = {k: upstream.headers[k] for k in _PASSED if k in upstream.headers}
    passed["content-type"] = _playable(upstream.headers.get("content-type"), kind)

    async def body() -> AsyncIterator[bytes]:
        try:
            async for chunk in upstream.aiter_raw():
                yield chunk
        finally:
            await upstream.aclose()
            await client.aclose()

    return Relayed(upstream.status_code, passed, body())


def _playable(sent: str | None, declared: str | None) -> str:
    """Only an audio or video type is passed on (never, say, text/html from a host)."""
    for candidate in (sent, declared):
        value = (candidate or "").split(";")[0].strip().lower()
        if value.startswith(PLAYABLE):
            return value
    return "application/octet-stream"
