"""Channel kinds: webhook (signed JSON over the SSRF-guarded client) and email (SMTP).

Webhook receivers verify `X-Revenge-Signature: sha256=<hex HMAC-SHA256 of the raw body>`
with the channel secret; the body carries the same `timestamp` as `X-Revenge-Timestamp`, so
a receiver can also reject old (replayed) deliveries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from email.message import EmailMessage
from html import escape
from typing import Any, Protocol

import aiosmtplib

from revenge.config import NotificationSettings
from revenge.infra.http import (
    Allowlist,
    FetchError,
    FetchLimits,
    OutboundBlocked,
    safe_fetch,
    vet_host,
)
from revenge.notifications.events import NotificationEvent

SIGNATURE_HEADER = "X-Revenge-Signature"
TIMESTAMP_HEADER = "X-Revenge-Timestamp"


class DeliveryError(Exception):
    """A delivery attempt failed; `response_code` when the target answered."""

    def __init__(self, message: str, response_code: int | None = None) -> None:
        super().__init__(message)
        self.response_code = response_code


@dataclass(frozen=True)
class DeliveryTarget:
    """Everything one attempt needs, secrets already opened."""

    kind: str
    config: dict[str, Any]
    secret: str | None
    recipient: str | None = None


class Channel(Protocol):
    async def deliver(self, target: DeliveryTarget, event: NotificationEvent) -> int | None:
        """Send; return the response code (if any) or raise DeliveryError."""
        ...


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookChannel:
    def __init__(self, cfg: NotificationSettings, allowlist: Allowlist) -> None:
        self._limits = FetchLimits(
            connect_timeout=cfg.connect_timeout_seconds,
            read_timeout=cfg.read_timeout_seconds,
            total_timeout=cfg.total_timeout_seconds,
            max_bytes=cfg.max_response_bytes,
        )
        self._allowlist = allowlist

    async def deliver(self, target: DeliveryTarget, event: NotificationEvent) -> int | None:
        stamp = str(int(time.time()))
        body = json.dumps({**event.to_json(), "timestamp": int(stamp)}).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Revenge-Webhook/1",
            "X-Revenge-Event": event.type,
            "X-Revenge-Delivery": str(event.id),
            TIMESTAMP_HEADER: stamp,
        }
        if target.secret:
            headers[SIGNATURE_HEADER] = sign(target.secret, body)
        try:
            result = await safe_fetch(
                "POST",
                target.config["url"],
                allowlist=self._allowlist,
                limits=self._limits,
                headers=headers,
                content=body,
            )
        except (OutboundBlocked, FetchError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
        if not 200 <= result.status_code < 300:
            raise DeliveryError(f"target answered {result.status_code}", result.status_code)
        return result.status_code


def render_email(event: NotificationEvent, sender: str, to: list[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"[Revenge] {event.title}"
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Message-ID"] = f"<{event.id}@revenge>"
    lines = [event.title, "", event.message] if event.message else [event.title]
    msg.set_content("\n".join(lines) + f"\n\nEvent: {event.type}\n")
    html = (
        f"<html><body><h2>{escape(event.title)}</h2><p>{escape(event.message)}</p>"
        f"<p><small>Event: {escape(event.type)}</small></p></body></html>"
    )
    msg.add_alternative(html, subtype="html")
    return msg


class EmailChannel:
    def __init__(self, cfg: NotificationSettings, allowlist: Allowlist | None = None) -> None:
        self._timeout = cfg.smtp_timeout_seconds
        # The SMTP host is typed in by an administrator: the same guard as webhooks.
        self._allowlist = allowlist or Allowlist()

    async def deliver(self, target: DeliveryTarget, event: NotificationEvent) -> int | None:
        c = target.config
        to = [target.recipient] if target.recipient else list(c.get("to", []))
        if not to:
            raise DeliveryError("no recipients")
        msg = render_email(event, c["from_address"], to)
        security = c.get("security", "starttls")
        try:
            await vet_host(c["host"], int(c["port"]), self._allowlist)
        except (OutboundBlocked, FetchError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
        try:
            errors, _reply = await aiosmtplib.send(
                msg,
                hostname=c["host"],
                port=int(c["port"]),
                username=c.get("username") or None,
                password=target.secret if c.get("username") else None,
                use_tls=security == "tls",
                start_tls=security == "starttls",
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP {exc.code}: {exc.message}", exc.code) from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
        if errors:
            raise DeliveryError(f"refused recipients: {', '.join(errors)}")
        return 250
