"""Server settings: typed registry, resolution order, validation, admin API, maintenance mode."""

from __future__ import annotations

import asyncio
import ipaddress

import httpx

from revenge.config import Settings
from revenge.runtime import Runtime
from revenge.server_settings import repository as settings_repo
from revenge.server_settings.registry import REGISTRY
from revenge.server_settings.service import ServerSettingsService
from revenge.testing.settings import make_settings
from tests.support.actors import Actors

PROBLEM = "application/problem+json"
REQUIRED_KEYS = {
    "server.name",
    "auth.session.idle_timeout",
    "auth.session.absolute_lifetime",
    "auth.session.max_per_user",
    "auth.registration_enabled",
    "scanning.interval_hours",
    "scanning.realtime",
    "metadata.auto_fetch",
    "metadata.refresh_after_days",
    "metadata.language",
    "transcoding.max_concurrent",
    "maintenance.mode",
    "activity.retention_days",
    "security.trusted_proxies",
    "http.outbound_allowlist",
}


async def test_admin_lists_every_setting_with_metadata(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    resp = await client.get("/api/v1/admin/settings", headers=actors.as_admin)
    assert resp.status_code == 200
    by_key = {s["key"]: s for s in resp.json()}
    assert set(by_key) >= REQUIRED_KEYS
    retention = by_key["activity.retention_days"]
    assert retention["value"] == 90 and retention["source"] == "default"
    assert retention["type"] == "int" and retention["minimum"] == 1
    assert by_key["security.trusted_proxies"]["restart_required"] is True


async def test_set_read_and_reset(client: httpx.AsyncClient, actors: Actors) -> None:
    put = await client.put(
        "/api/v1/admin/settings/scanning.interval_hours",
        json={"value": 24},
        headers=actors.as_admin,
    )
    assert put.status_code == 200 and put.json()["value"] == 24
    got = await client.get(
        "/api/v1/admin/settings/scanning.interval_hours", headers=actors.as_admin
    )
    assert got.json()["value"] == 24 and got.json()["source"] == "stored"
    reset = await client.delete(
        "/api/v1/admin/settings/scanning.interval_hours", headers=actors.as_admin
    )
    # The test configuration turns periodic scans off.
    assert reset.json()["value"] == 0 and reset.json()["source"] == "config"


async def test_bad_values_get_422_naming_the_key(client: httpx.AsyncClient, actors: Actors) -> None:
    cases = [
        ("transcoding.max_concurrent", "three"),
        ("transcoding.max_concurrent", 65),
        ("scanning.realtime", "yes"),
        ("metadata.language", "english"),
        ("security.trusted_proxies", ["not-a-network"]),
        ("http.outbound_allowlist", ["bad host!"]),
    ]
    for key, value in cases:
        resp = await client.put(
            f"/api/v1/admin/settings/{key}", json={"value": value}, headers=actors.as_admin
        )
        assert resp.status_code == 422, (key, value, resp.text)
        assert resp.headers["content-type"].startswith(PROBLEM)
        assert resp.json()["key"] == key and key in resp.json()["detail"]
    unknown = await client.put(
        "/api/v1/admin/settings/no.such.key", json={"value": 1}, headers=actors.as_admin
    )
    assert unknown.status_code == 404


async def test_integer_settings_take_json_numbers_with_no_fraction(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    """Found by fuzzing: JSON Schema's integer 3.0 was refused although the schema allows it."""
    url = "/api/v1/admin/settings/transcoding.max_concurrent"
    whole = await client.put(url, json={"value": 3.0}, headers=actors.as_admin)
    assert whole.status_code == 200 and whole.json()["value"] == 3
    for value in (2.5, True):
        resp = await client.put(url, json={"value": value}, headers=actors.as_admin)
        assert resp.status_code == 422, value


async def test_batch_update_is_all_or_nothing(client: httpx.AsyncClient, actors: Actors) -> None:
    resp = await client.patch(
        "/api/v1/admin/settings",
        json={"values": {"scanning.interval_hours": 3, "metadata.refresh_after_days": 0}},
        headers=actors.as_admin,
    )
    assert resp.status_code == 422 and resp.json()["key"] == "metadata.refresh_after_days"
    got = await client.get(
        "/api/v1/admin/settings/scanning.interval_hours", headers=actors.as_admin
    )
    assert got.json()["value"] == 0


async def test_only_admins_change_settings(client: httpx.AsyncClient, actors: Actors) -> None:
    resp = await client.put(
        "/api/v1/admin/settings/server.name", json={"value": "Mine"}, headers=actors.as_user
    )
    assert resp.status_code == 403
    assert (await client.get("/api/v1/admin/settings")).status_code == 401


async def test_public_subset_needs_no_credentials(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    await client.put(
        "/api/v1/admin/settings/server.name", json={"value": "Den"}, headers=actors.as_admin
    )
    resp = await client.get("/api/v1/settings/public")
    assert resp.status_code == 200
    body = resp.json()
    assert body["server.name"] == "Den" and body["maintenance.mode"] is False
    assert "http.outbound_allowlist" not in body and "security.trusted_proxies" not in body
    assert set(body) == {k for k, d in REGISTRY.items() if d.public}


async def test_server_name_change_shows_in_system_info(
    client: httpx.AsyncClient, actors: Actors, clean_runtime: Runtime
) -> None:
    await client.put(
        "/api/v1/admin/settings/server.name", json={"value": "Den"}, headers=actors.as_admin
    )
    assert (await client.get("/api/v1/system/info")).json()["name"] == "Den"


async def test_change_is_in_activity_log_with_old_and_new(
    client: httpx.AsyncClient, actors: Actors, clean_runtime: Runtime
) -> None:
    await client.put(
        "/api/v1/admin/settings/metadata.language", json={"value": "de-DE"}, headers=actors.as_admin
    )
    await clean_runtime.activity.flush()
    resp = await client.get(
        "/api/v1/admin/activity",
        params={"module": "settings", "resource_id": "metadata.language"},
        headers=actors.as_admin,
    )
    (entry,) = resp.json()["items"]
    assert entry["action"] == "update" and entry["user_id"] == str(actors.admin.user_id)
    assert entry["details"]["changes"] == [
        {"key": "metadata.language", "old": "en-US", "new": "de-DE"}
    ]


async def test_resolution_stored_over_config_over_default(
    clean_runtime: Runtime, settings: Settings
) -> None:
    configured = make_settings(
        settings.data_dir,
        clean_runtime.db.url,
        None,
        runtime_settings={"metadata.language": "fr-FR", "transcoding.max_concurrent": "bad"},
        auth={"session_max_per_user": 7},
    )
    service = ServerSettingsService(clean_runtime.db, configured)
    assert (await service.resolve("metadata.language")).source == "config"
    assert await service.get("metadata.language") == "fr-FR"
    assert await service.get("auth.session.max_per_user") == 7
    # An invalid config value falls back to the default instead of breaking the server.
    assert await service.get("transcoding.max_concurrent") == 2
    assert (await service.resolve("auth.registration_enabled")).source == "default"
    assert (await service.outbound_allowlist()).names == frozenset()
    async with clean_runtime.db.transaction() as session:
        change = await service.set(session, "metadata.language", "es-ES", None)
    assert (change.old, change.new) == ("fr-FR", "es-ES")
    assert await service.get("metadata.language") == "es-ES"
    async with clean_runtime.db.transaction() as session:
        await service.reset(session, "metadata.language", None)
    assert await service.get("metadata.language") == "fr-FR"


async def test_a_fresh_install_watches_folders_scans_twice_a_day_and_fetches_metadata(
    clean_runtime: Runtime, settings: Settings
) -> None:
    fresh = Settings(data_dir=settings.data_dir, database_url=clean_runtime.db.url)
    service = ServerSettingsService(clean_runtime.db, fresh)
    for key, value in (
        ("scanning.realtime", True),
        ("scanning.interval_hours", 12),
        ("metadata.auto_fetch", True),
    ):
        resolved = await service.resolve(key)
        assert (resolved.value, resolved.source) == (value, "default"), key


async def test_a_load_racing_a_change_is_not_kept(
    clean_runtime: Runtime, settings: Settings
) -> None:
    """A change announced while a node loads the settings is not hidden by that load."""
    service = ServerSettingsService(clean_runtime.db, settings)
    try:
        loading = asyncio.create_task(service.get("server.name"))
        await asyncio.sleep(0)  # the load has begun and waits for the database
        service.invalidate()  # what an announcement arriving now does
        assert await loading == "Revenge"
        # The change that announcement was about, which the load did not see.
        async with clean_runtime.db.transaction() as session:
            await settings_repo.upsert(session, "server.name", "Renamed", None)
        assert await service.get("server.name") == "Renamed"
    finally:
        await service.close()


async def test_maintenance_mode_lets_only_admins_through(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    on = await client.put(
        "/api/v1/admin/settings/maintenance.mode", json={"value": True}, headers=actors.as_admin
    )
    assert on.status_code == 200
    blocked = await client.get("/api/v1/users/me/activity", headers=actors.as_user)
    assert blocked.status_code == 503
    assert blocked.headers["content-type"].startswith(PROBLEM)
    assert "maintenance" in blocked.json()["detail"] and blocked.json()["maintenance"] is True
    assert blocked.headers["retry-after"]
    assert (
        await client.get("/api/v1/users/me/activity", headers=actors.as_admin)
    ).status_code == 200
    assert (await client.get("/health/live")).status_code == 200
    assert (await client.get("/health/ready")).status_code == 200
    public = await client.get("/api/v1/settings/public")
    assert public.json()["maintenance.mode"] is True
    await client.put(
        "/api/v1/admin/settings/maintenance.mode", json={"value": False}, headers=actors.as_admin
    )
    assert (
        await client.get("/api/v1/users/me/activity", headers=actors.as_user)
    ).status_code == 200


async def test_outbound_allowlist_falls_back_to_the_config_file(
    clean_runtime: Runtime, settings: Settings
) -> None:
    configured = make_settings(
        settings.data_dir,
        clean_runtime.db.url,
        None,
        http={"outbound_allowlist": ["nas.lan", "10.0.0.0/8"]},
    )
    service = ServerSettingsService(clean_runtime.db, configured)
    resolved = await service.resolve("http.outbound_allowlist")
    assert (resolved.source, resolved.value) == ("config", ["nas.lan", "10.0.0.0/8"])
    allow = await service.outbound_allowlist()
    assert allow.allows_name("NAS.lan") and allow.allows_ip(ipaddress.ip_address("10.1.2.3"))
    async with clean_runtime.db.transaction() as session:
        await service.set(session, "http.outbound_allowlist", ["*.lan"], None)
    allow = await service.outbound_allowlist()
    assert allow.allows_name("tv.lan") and not allow.allows_ip(ipaddress.ip_address("10.1.2.3"))


async def test_a_list_read_is_the_readers_own(clean_runtime: Runtime, settings: Settings) -> None:
    """Scalar values are kept resolved between reads; lists are not, so none is shared."""
    service = ServerSettingsService(clean_runtime.db, settings)
    first = await service.get("security.trusted_proxies")
    first.append("10.0.0.1")
    assert await service.get("security.trusted_proxies") == []
    assert await service.get("maintenance.mode") is False
    async with clean_runtime.db.transaction() as session:
        await settings_repo.upsert(session, "maintenance.mode", True, None)
    service.invalidate()  # what the announcement of that change does
    assert await service.get("maintenance.mode") is True
