"""HTTP channels beside the signed webhook: ntfy, Gotify, Discord and custom JSON webhooks.

Every request goes through `safe_fetch` (the SSRF guard and the admin allowlist) with the
notification timeouts and answer-size cap. Each speaks its service's documented API:
- ntfy: POST to the topic URL, the message as body, `Title`, `Priority` (1-5) and `Tags`
  headers (non-ASCII titles RFC 2047-encoded), `Authorization: Bearer` with a token secret;
- Gotify: POST `<server>/message?token=<application token>` with JSON `title`, `message`,
  `priority`;
- Discord: POST the webhook URL with JSON `content` and one embed (answers 204);
- custom: POST the URL with the body rendered from the channel's template (templates.py),
  signed like the webhook when the channel has a secret.
"""

from __future__ import annotations

import json
from email.header import Header
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from revenge.config import NotificationSettings
from revenge.infra.http import Allowlist, FetchError, FetchLimits, OutboundBlocked, safe_fetch
from revenge.notifications import templates
from revenge.notifications.channels import (
    SIGNATURE_HEADER,
    Channel,
    DeliveryError,
    DeliveryTarget,
    WebhookChannel,
    sign,
)
from revenge.notifications.events import NotificationEvent

_URGENT = ("library.scan.failed", "job.failed", "playback.transcode.failed")
_DISCORD_COLOURS = {"failed": 0xE74C3C, "added": 0x2ECC71}


class HttpChannel:
    """Posts a request built by `request()` and checks the answer."""

    def __init__(self, cfg: NotificationSettings, allowlist: Allowlist) -> None:
        self._allowlist = allowlist
        self._limits = FetchLimits(
            connect_timeout=cfg.connect_timeout_seconds,
            read_timeout=cfg.read_timeout_seconds,
            total_timeout=cfg.total_timeout_seconds,
            max_bytes=cfg.max_response_bytes,
        )

    def request(
        self, target: DeliveryTarget, event: NotificationEvent
    ) -> tuple[str, dict[str, str], bytes]:
        raise NotImplementedError

    async def deliver(self, target: DeliveryTarget, event: NotificationEvent) -> int | None:
        url, headers, body = self.request(target, event)
        headers.setdefault("User-Agent", "Revenge-Notifications/1")
        try:
            result = await safe_fetch(
                "POST", url, allowlist=self._allowlist, limits=self._limits,
                headers=headers, content=body,
            )  # fmt: skip
        except (OutboundBlocked, FetchError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
        if not 200 <= result.status_code < 300:
            detail = result.content[:200].decode(errors="replace").strip()
            reason = f"target answered {result.status_code}" + (f": {detail}" if detail else "")
            raise DeliveryError(reason, result.status_code)
        return result.status_code


def _header_text(value: str) -> str:
    """HTTP headers are Latin-1: other text goes RFC 2047-encoded (ntfy decodes it)."""
    value = " ".join(value.split())[:250]
    return value if value.isascii() else Header(value, "utf-8").encode()


def _json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


class NtfyChannel(HttpChannel):
    def request(
        self, target: DeliveryTarget, event: NotificationEvent
    ) -> tuple[str, dict[str, str], bytes]:
        cfg = target.config
        priority = int(cfg.get("priority", 3))
        if event.type in _URGENT:
            priority = max(priority, 4)
        tags = [*cfg.get("tags", []), "warning" if event.type in _URGENT else event.type]
        headers = {
            "Title": _header_text(event.title),
            "Priority": str(priority),
            "Tags": ",".join(tags),
            "Content-Type": "text/plain; charset=utf-8",
        }
        if target.secret:
            headers["Authorization"] = f"Bearer {target.secret}"
        return str(cfg["url"]), headers, (event.message or event.title).encode()


class GotifyChannel(HttpChannel):
    def request(
        self, target: DeliveryTarget, event: NotificationEvent
    ) -> tuple[str, dict[str, str], bytes]:
        if not target.secret:
            raise DeliveryError("no Gotify application token")
        base = urlsplit(str(target.config["url"]))
        path = base.path.rstrip("/") + "/message"
        url = urlunsplit((base.scheme, base.netloc, path, urlencode({"token": target.secret}), ""))
        priority = int(target.config.get("priority", 5))
        if event.type in _URGENT:
            priority = max(priority, 8)
        body = {
            "title": event.title,
            "message": event.message or event.title,
            "priority": priority,
            "extras": {"revenge::event": {"type": event.type, "id": str(event.id)}},
        }
        return url, {"Content-Type": "application/json"}, _json(body)


class DiscordChannel(HttpChannel):
    def request(
        self, target: DeliveryTarget, event: NotificationEvent
    ) -> tuple[str, dict[str, str], bytes]:
        kind = "failed" if event.type in _URGENT else "added" if event.type == "item.added" else ""
        embed: dict[str, Any] = {
            "title": event.title[:256],
            "description": event.message[:4096],
            "timestamp": event.occurred_at.isoformat(),
            "footer": {"text": event.type},
        }
        if kind:
            embed["color"] = _DISCORD_COLOURS[kind]
        body: dict[str, Any] = {"content": event.title[:2000], "embeds": [embed]}
        if target.config.get("username"):
            body["username"] = target.config["username"]
        return str(target.config["url"]), {"Content-Type": "application/json"}, _json(body)


class CustomWebhookChannel(HttpChannel):
    def request(
        self, target: DeliveryTarget, event: NotificationEvent
    ) -> tuple[str, dict[str, str], bytes]:
        try:
            body = templates.render(str(target.config["template"]), event)
        except templates.TemplateInvalid as exc:
            raise DeliveryError(str(exc)) from None
        headers = {"Content-Type": "application/json", "X-Revenge-Event": event.type}
        if target.secret:
            headers[SIGNATURE_HEADER] = sign(target.secret, body)
        return str(target.config["url"]), headers, body


_KINDS: dict[str, type[HttpChannel]] = {
    "ntfy": NtfyChannel,
    "gotify": GotifyChannel,
    "discord": DiscordChannel,
    "custom_webhook": CustomWebhookChannel,
}


def http_channel(kind: str, cfg: NotificationSettings, allowlist: Allowlist) -> Channel:
    """The channel for a kind that speaks HTTP (the signed webhook by default)."""
    made = _KINDS.get(kind)
    return made(cfg, allowlist) if made is not None else WebhookChannel(cfg, allowlist)
