"""The direct stream route keeps every rule of the routed path, and leaves the rest to it."""

from __future__ import annotations

import dataclasses

import httpx

from revenge.runtime import Runtime
from revenge.streaming.signing import file_scope, signer
from revenge.testing.auth import USER, HeaderAuthenticator
from tests.streaming.conftest import AS_ADMIN, AS_USER, CONTENT, Media


async def test_access_key_without_read_scope_is_refused(
    api: httpx.AsyncClient, clean_runtime: Runtime, media: Media
) -> None:
    auth = clean_runtime.authenticator
    assert isinstance(auth, HeaderAuthenticator)
    auth.principals["write-only"] = dataclasses.replace(USER, scopes=frozenset({"write"}))
    url = f"/api/v1/stream/{media.file_id}"
    refused = await api.get(url, headers={"x-test-user": "write-only"})
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert "read" in refused.json()["detail"]
    assert (await api.head(url, headers={"x-test-user": "write-only"})).status_code == 403


async def test_maintenance_mode_stops_streams_of_non_admins(
    api: httpx.AsyncClient, clean_runtime: Runtime, media: Media
) -> None:
    url = f"/api/v1/stream/{media.file_id}"
    token = signer(clean_runtime).issue(USER, file_scope(media.file_id))
    setting = "/api/v1/admin/settings/maintenance.mode"
    assert (await api.put(setting, json={"value": True}, headers=AS_ADMIN)).status_code == 200
    try:
        blocked = await api.get(url, headers=AS_USER)
        assert blocked.status_code == 503 and blocked.json()["maintenance"] is True
        assert blocked.headers["retry-after"]
        assert (await api.get(url, params={"token": token})).status_code == 503
        admin = await api.get(url, headers={**AS_ADMIN, "range": "bytes=0-9"})
        assert (admin.status_code, admin.content) == (206, CONTENT[:10])
    finally:
        await api.put(setting, json={"value": False}, headers=AS_ADMIN)
    assert (await api.get(url, params={"token": token})).status_code == 200


async def test_request_id_and_metrics_name_the_route(api: httpx.AsyncClient, media: Media) -> None:
    r = await api.get(
        f"/api/v1/stream/{media.file_id}",
        headers={**AS_USER, "range": "bytes=0-0", "x-request-id": "play-1"},
    )
    assert (r.status_code, r.headers["x-request-id"]) == (206, "play-1")
    missing = await api.get(f"/api/v1/stream/{media.file_id}x", headers=AS_USER)
    assert missing.status_code == 422 and missing.headers["x-request-id"]
    metrics = (await api.get("/metrics", headers=AS_ADMIN)).text
    assert 'route="/api/v1/stream/{file_id}",status="206"' in metrics


async def test_other_spellings_and_methods_get_the_router_answer(
    api: httpx.AsyncClient, media: Media
) -> None:
    upper = await api.get(f"/api/v1/stream/{str(media.file_id).upper()}", headers=AS_USER)
    assert (upper.status_code, upper.content) == (200, CONTENT)
    plain = await api.get(f"/api/v1/stream/{media.file_id.hex}", headers=AS_USER)
    assert (plain.status_code, plain.content) == (200, CONTENT)
    assert (await api.delete(f"/api/v1/stream/{media.file_id}", headers=AS_USER)).status_code == 405
    long_token = await api.get(f"/api/v1/stream/{media.file_id}", params={"token": "x" * 201})
    assert long_token.status_code == 422
    anonymous = await api.head(f"/api/v1/stream/{media.file_id}")
    assert anonymous.status_code == 401
