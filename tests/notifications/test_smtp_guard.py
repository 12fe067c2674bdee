"""An email channel's SMTP host passes the same outbound guard as webhooks: loopback,
link-local and metadata addresses are refused before any connection, unless allowlisted."""

from __future__ import annotations

import asyncio
import socket

import pytest

from revenge.config import NotificationSettings
from revenge.infra.http import Allowlist
from revenge.notifications.channels import DeliveryError, DeliveryTarget, EmailChannel
from revenge.notifications.events import NotificationEvent


def target(host: str, port: int) -> DeliveryTarget:
    config = {"host": host, "port": port, "security": "none",
              "from_address": "revenge@example.org", "to": ["ops@example.org"]}  # fmt: skip
    return DeliveryTarget("email", config, None)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "169.254.169.254", "0177.0.0.1"])
async def test_smtp_to_private_addresses_is_refused_without_connecting(host: str) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    port = listener.getsockname()[1]
    channel = EmailChannel(NotificationSettings(), Allowlist())
    event = NotificationEvent("item.added", "New film", "")
    try:
        with pytest.raises(DeliveryError, match="OutboundBlocked"):
            await channel.deliver(target(host, port), event)
        await asyncio.sleep(0.05)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected
    finally:
        listener.close()


async def test_an_allowlisted_smtp_host_is_connected_to() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens: the connection itself is attempted and fails
    channel = EmailChannel(NotificationSettings(), Allowlist.parse(["127.0.0.1"]))
    with pytest.raises(DeliveryError) as refused:
        await channel.deliver(target("127.0.0.1", port), NotificationEvent("item.added", "x", ""))
    assert "OutboundBlocked" not in str(refused.value)
