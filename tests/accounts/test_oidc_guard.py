"""An OIDC issuer URL goes through the outbound guard: a provider on loopback, link-local or
cloud-metadata addresses is not contacted unless allowlisted, and the anonymous sign-in route
answers with a generic error, never the upstream's text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from revenge.runtime import Runtime
from revenge.testing.fake_api import FakeApi, Reply, fake_api
from tests.accounts.conftest import bearer

SECRET_TEXT = "internal-admin-panel-banner-7731"


@pytest.fixture
def internal() -> Iterator[FakeApi]:
    """A loopback service that must not be reachable through an issuer URL."""
    with fake_api() as api:
        api.on(
            "GET",
            "/.well-known/openid-configuration",
            Reply(500, SECRET_TEXT.encode(), {"Content-Type": "text/plain"}),
        )
        yield api


async def provider(client: httpx.AsyncClient, admin: dict[str, Any], issuer: str) -> None:
    body = {"name": "corp", "issuer": issuer, "client_id": "revenge", "client_secret": "x"}
    resp = await client.post(
        "/api/v1/admin/oidc-providers", json=body, headers=bearer(admin["access_token"])
    )
    assert resp.status_code == 201, resp.text


@pytest.mark.parametrize("issuer", ["loopback", "http://169.254.169.254/latest"])
async def test_issuer_on_a_private_address_is_not_contacted(
    client: httpx.AsyncClient,
    clean_runtime: Runtime,
    admin: dict[str, Any],
    internal: FakeApi,
    issuer: str,
) -> None:
    await provider(client, admin, internal.url if issuer == "loopback" else issuer)
    resp = await client.get("/api/v1/auth/oidc/corp/login")
    assert resp.status_code == 502, resp.text
    assert resp.json()["detail"] == "The identity provider could not be reached."
    assert internal.calls("/.well-known/openid-configuration") == []


async def test_an_anonymous_caller_never_reads_the_upstream_answer(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any], internal: FakeApi
) -> None:
    allow = await client.put(
        "/api/v1/admin/settings/http.outbound_allowlist",
        json={"value": ["127.0.0.1"]},
        headers=bearer(admin["access_token"]),
    )
    assert allow.status_code == 200
    await provider(client, admin, internal.url)
    resp = await client.get("/api/v1/auth/oidc/corp/login")
    assert resp.status_code == 502
    assert len(internal.calls("/.well-known/openid-configuration")) == 1  # allowlisted: asked
    assert SECRET_TEXT not in resp.text and "500" not in resp.json()["detail"]
