"""Schemathesis against the OpenAPI schema: no 5xx and no schema violation, for any caller.

Every response is checked for its status code, content type, headers and body against what the
document promises; schema-valid requests must be accepted and schema-invalid ones refused.
Each run starts from the same small world (one item of every kind, a playlist, a collection, a
channel, ...) and, for schema-valid requests, path parameters mostly name those rows, so detail
routes answer with real bodies rather than 404.

Bounded: a fixed number of derandomized examples per operation and generation mode, generated
once and sent by every caller, so the run is repeatable and stays within seconds.
Reproduce one run: `pytest tests/faults/test_fuzz_api.py -k "admin and positive"`.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from revenge.images import image_service
from revenge.runtime import Runtime
from revenge.testing.auth import ADMIN, USER, HeaderAuthenticator, header_auth
from revenge.testing.fake_api import FakeApi, Reply, fake_api, fixture
from revenge.testing.live_server import LiveServer
from revenge.testing.seed import (
    OTHER_USER,
    add_audiobook,
    add_episode,
    add_file,
    add_library,
    add_movie,
    add_podcast_episode,
    add_series,
    add_track,
    execute,
)
from revenge.testing.settings import make_settings
from tests.conftest import truncate_all
from tests.images.samples import encoded

EXAMPLES = 8
CALLERS = {"anonymous": None, "user": "user", "admin": "admin"}
CHECKS: list[Any] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]
# Refusals of schema-valid requests that depend on what exists or on rules spanning fields,
# which JSON Schema cannot express: positive_data_acceptance allows these statuses there.
SEMANTIC_REFUSALS: dict[str, tuple[set[int], str]] = {
    "GET /api/v1/auth/oidc/callback": ({400}, "the state is minted by the login redirect"),
    "POST /api/v1/me/2fa/enable": ({400}, "the code comes from the user's authenticator app"),
    "POST /api/v1/me/2fa/recovery-codes": ({400}, "the code comes from the authenticator app"),
    "POST /api/v1/me/2fa/disable": ({400}, "the code comes from the authenticator app"),
    "POST /api/v1/libraries": ({400}, "folders must exist on the server"),
    "PATCH /api/v1/libraries/{library_id}": ({400}, "folders must exist on the server"),
    "PUT /api/v1/users/{user_id}/libraries": ({422}, "library ids must exist"),
    "POST /api/v1/playlists/{kind}/{playlist_id}/items": (
        {422},
        "items must exist and suit the playlist's kind",
    ),
    "POST /api/v1/collections/{kind}/{collection_id}/items": (
        {422},
        "items must exist and suit the collection's kind",
    ),
    "POST /api/v1/movies/{movie_id}/identify": ({422}, "the provider must know the id"),
    "POST /api/v1/tv/series/{series_id}/identify": (
        {400, 422},
        "the provider must know the id and be set up (no TheTVDB key here)",
    ),
    "POST /api/v1/music/albums/{album_id}/identify": ({422}, "the provider must know the id"),
    "PATCH /api/v1/admin/notifications/channels/{channel_id}": (
        {400, 422},
        "settings must be of the channel's own kind; a body template must render JSON",
    ),
    "POST /api/v1/admin/notifications/channels": ({400}, "a body template must render JSON"),
    "PUT /api/v1/admin/settings/{key}": ({422}, "the value's type depends on the key"),
    "PATCH /api/v1/admin/settings": ({422}, "list entries must be networks or hosts"),
    "POST /api/v1/access-keys": ({422}, "the expiry must be in the future"),
    "POST /api/v1/podcast-feeds": ({422}, "the library must exist and hold podcasts"),
    "POST /api/v1/podcast-feeds/opml": (
        {400, 422},
        "the text must be an OPML document; the library must exist and hold podcasts",
    ),
}


@dataclass
class World:
    """The rows every run starts from, by path parameter name."""

    pins: dict[str, str] = field(default_factory=dict)
    items: dict[str, str] = field(default_factory=dict)  # item kind -> id


@pytest.fixture(scope="module")
def upstream() -> Iterator[FakeApi]:
    """Every outside service on one local server: TMDb (identifying a movie answers with real
    candidates) and an OIDC provider's discovery document; nothing leaves the machine."""
    with fake_api() as server:
        server.on("GET", "/configuration", Reply(body=fixture("tmdb/configuration")))
        server.json("/search/movie", "tmdb/search_movie_matrix")
        server.json("/movie/603", "tmdb/movie_603")
        server.on(
            "GET",
            "/.well-known/openid-configuration",
            Reply(
                body={
                    "issuer": server.url,
                    "authorization_endpoint": f"{server.url}/authorize",
                    "token_endpoint": f"{server.url}/token",
                    "jwks_uri": f"{server.url}/jwks",
                }
            ),
        )
        yield server


@pytest.fixture(scope="module")
def live(
    database_url: str,
    redis_url: str,
    upstream: FakeApi,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    offline = {
        f"{name}_base_url": upstream.url for name in ("tmdb", "tvdb", "musicbrainz", "coverart")
    }
    settings = make_settings(
        tmp_path_factory.mktemp("fuzz"), database_url, redis_url, metadata=offline,
        # Live-update streams end quickly, so reading one to its end is bounded.
        events={"stream_max_seconds": 0.3},
    )  # fmt: skip
    server = LiveServer(settings, HeaderAuthenticator())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def schema(live: LiveServer) -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_url(live.url + "/openapi.json")


_GENERATED: dict[GenerationMode, list[tuple[schemathesis.APIOperation, list[Any]]]] = {}


def _generated(
    schema: schemathesis.schemas.BaseSchema, mode: GenerationMode
) -> list[tuple[schemathesis.APIOperation, list[Any]]]:
    """The examples of every operation, generated once per mode; deletions go last."""
    if mode not in _GENERATED:
        started = time.monotonic()
        found = []
        for result in schema.get_all_operations():
            operation = result.ok()
            cases: list[Any] = []

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def collect(case: Any) -> None:
                if mode is GenerationMode.POSITIVE and case.query and "cursor" in case.query:
                    # A cursor is opaque: only the server's own `next_cursor` is valid.
                    case.query = {k: v for k, v in case.query.items() if k != "cursor"}
                # Path parameters as drawn: each run points them at its own world's rows.
                cases.append((case, dict(case.path_parameters)))  # noqa: B023 - this iteration

            try:
                collect()
            except Unsatisfiable:
                # No invalid input exists for this operation (e.g. it takes no parameters).
                assert mode is GenerationMode.NEGATIVE, operation.label
            found.append((operation, cases))
        found.sort(key=lambda pair: pair[0].method.upper() == "DELETE")
        _GENERATED[mode] = found
        count = sum(len(cases) for _, cases in found)
        print(
            f"\nfuzz: {count} {mode.value} examples generated in {time.monotonic() - started:.1f} s"
        )
    return _GENERATED[mode]


def _world(
    live: LiveServer, database_url: str, caller: str | None, root: Path, issuer: str
) -> World:
    """Empty the database and caches, then lay out the same small world again."""

    async def reset(runtime: Runtime) -> World:
        await runtime.activity.flush()
        await asyncio.to_thread(truncate_all, database_url)
        runtime.local_cache.clear()
        runtime.server_settings.invalidate()
        return await _seed(runtime, root)

    world = live.call(reset)
    with httpx.Client(base_url=live.url, timeout=30) as api:
        _seed_through_api(api, world, caller, issuer)
    return world


async def _seed(runtime: Runtime, root: Path) -> World:
    world = World()
    for user_id, name, role in (
        (ADMIN.user_id, ADMIN.username, ADMIN.role),
        (USER.user_id, USER.username, USER.role),
        (OTHER_USER, "other", "user"),
    ):
        await execute(
            runtime, "INSERT INTO users (id, username, role) VALUES (:i, :n, :r)",
            i=user_id, n=f"fuzz-{name}", r=role,
        )  # fmt: skip
    world.pins["user_id"] = str(OTHER_USER)
    libraries = {kind: await add_library(runtime, kind, root / kind) for kind in _KINDS}
    world.pins["library_id"] = str(libraries["movie"])

    movie = await add_movie(runtime, libraries["movie"], "Heat", year=1995)
    video = root / "movie" / "Heat (1995)" / "Heat (1995).mkv"
    video.parent.mkdir(parents=True, exist_ok=True)
    video.write_bytes(bytes(range(256)) * 64)
    video.with_suffix(".en.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHello\n")
    file_id = await add_file(runtime, libraries["movie"], video, item=("movie", movie))
    series = await add_series(runtime, libraries["tv"], "Show", year=2001)
    episode = await add_episode(runtime, libraries["tv"], series, 1, 1, "Pilot")
    track = await add_track(runtime, libraries["music"], "Song")
    book = await add_audiobook(runtime, libraries["audiobook"], "Book", chapters=("One", "Two"))
    podcast_episode = await add_podcast_episode(runtime, libraries["podcast"], "Talk")
    world.items = {
        "movie": str(movie), "episode": str(episode), "track": str(track),
        "audiobook": str(book), "podcast_episode": str(podcast_episode),
    }  # fmt: skip
    world.pins.update(
        movie_id=str(movie), file_id=str(file_id), track_id=str(track), book_id=str(book),
        series_id=await _one(runtime, "SELECT series_id FROM episodes WHERE id = :i", episode),
        season_id=await _one(runtime, "SELECT season_id FROM episodes WHERE id = :i", episode),
        album_id=await _one(runtime, "SELECT album_id FROM tracks WHERE id = :i", track),
        podcast_id=await _one(
            runtime, "SELECT podcast_id FROM podcast_episodes WHERE id = :i", podcast_episode
        ),
    )  # fmt: skip
    images = image_service(runtime)
    facts = await images.acquire_bytes(encoded("JPEG", (60, 90)))
    async with runtime.db.transaction() as session:
        world.pins["image_id"] = str(await images.record_stored(session, "fuzz", facts))
    world.pins["episode_id"] = str(episode)
    world.pins["podcast_episode_id"] = str(podcast_episode)
    world.pins["podcast_library_id"] = str(libraries["podcast"])
    return world


_KINDS = ("movie", "tv", "music", "audiobook", "podcast")


async def _one(runtime: Runtime, sql: str, row_id: uuid.UUID) -> str:
    rows = await execute(runtime, sql, i=row_id)
    return str(next(iter(rows[0].values())))


def _seed_through_api(api: httpx.Client, world: World, caller: str | None, issuer: str) -> None:
    """Rows the API itself makes, owned by whoever owns them in real use."""
    admin = {"X-Test-User": "admin"}
    own = {"X-Test-User": caller or "user"}

    def ok(response: httpx.Response) -> Any:
        assert response.is_success, (response.request.url, response.text)
        return response.json() if response.content else None

    pins = world.pins
    playlist = ok(
        api.post("/api/v1/playlists", json={"kind": "video", "name": "Fuzz"}, headers=own)
    )
    pins["playlist_id"] = playlist["id"]
    entries = ok(
        api.post(
            f"/api/v1/playlists/video/{playlist['id']}/items",
            json={"items": [{"type": "movie", "id": world.items["movie"]}]},
            headers=own,
        )
    )
    pins["entry_id"] = entries["items"][0]["entry_id"]
    collection = ok(
        api.post(
            "/api/v1/collections/video",
            json={"library_id": pins["library_id"], "name": "Fuzz"},
            headers=admin,
        )
    )
    pins["collection_id"] = collection["id"]
    ok(
        api.post(
            f"/api/v1/collections/video/{collection['id']}/items",
            json={"items": [{"type": "movie", "id": world.items["movie"]}]},
            headers=admin,
        )
    )
    channel = ok(
        api.post(
            "/api/v1/admin/notifications/channels",
            json={
                "kind": "webhook",
                "name": "Fuzz",
                "events": ["item.added"],
                "config": {"url": "http://127.0.0.1:9/hook"},
            },
            headers=admin,
        )
    )
    pins["channel_id"] = channel["id"]
    # The mock identity provider runs on loopback: allowlisted, as an admin would.
    allow = {"value": ["127.0.0.1"]}
    ok(api.put("/api/v1/admin/settings/http.outbound_allowlist", json=allow, headers=admin))
    integration = ok(
        api.post(
            "/api/v1/admin/integrations",
            json={"name": "Fuzz", "kind": "sonarr",
                  "path_mappings": [{"remote": "/tv", "local": "/srv/tv"}]},
            headers=admin,
        )
    )  # fmt: skip
    pins["integration_id"] = integration["id"]
    feed = ok(
        api.post(
            "/api/v1/podcast-feeds",
            json={"url": "http://127.0.0.1:9/feed.xml", "library_id": pins["podcast_library_id"]},
            headers=admin,
        )
    )
    pins["feed_id"] = feed["id"]
    provider = ok(
        api.post(
            "/api/v1/admin/oidc-providers",
            json={"name": "fuzz", "issuer": issuer, "client_id": "fuzz"},
            headers=admin,
        )
    )
    pins["provider_id"] = provider["id"]
    key = ok(api.post("/api/v1/access-keys", json={"name": "fuzz"}, headers=own))
    pins["key_id"] = key["id"]
    ok(api.put("/api/v1/admin/credentials/tmdb", json={"value": "fuzz-key"}, headers=admin))
    pins["service"] = "tmdb"
    scan = ok(api.post(f"/api/v1/libraries/{pins['library_id']}/scans", json={}, headers=admin))
    pins["scan_id"] = scan["id"]
    jobs = ok(api.get("/api/v1/admin/jobs", headers=admin))
    if jobs["items"]:
        pins["job_id"] = str(jobs["items"][0]["id"])
    settings_list = ok(api.get("/api/v1/admin/settings", headers=admin))
    pins["key"] = settings_list[0]["key"]


def _pinned(
    operation: schemathesis.APIOperation, drawn: dict[str, Any], world: World, index: int
) -> dict[str, Any]:
    """Path parameters naming the world's rows (three examples in four), else as drawn."""
    if index % 4 == 3:
        return drawn
    path = operation.path
    params = dict(drawn)
    for name in drawn:
        value = world.pins.get(name)
        if name == "episode_id" and path.startswith("/api/v1/podcasts"):
            value = world.pins["podcast_episode_id"]
        elif name == "item_id" and drawn.get("kind") in world.items:
            value = world.items[drawn["kind"]]
        elif name == "item_id" and "item_type" in drawn:
            params["item_type"] = "movie"
            value = world.items["movie"]
        elif name == "kind" and ("playlist_id" in drawn or "collection_id" in drawn):
            value = "video"
        elif name == "name" and "/subtitles/" in path:
            value = "Heat (1995).en.srt"
        elif name == "name" and "/oidc/" in path:
            value = "fuzz"
        if value is not None:
            params[name] = value
    return params


def _has_nul(case: Any) -> bool:
    """Whether the request carries a NUL character, which JSON Schema strings allow but
    PostgreSQL text cannot hold: the API refuses it with 400 rather than store a cut value."""
    return any(
        _nul_in(part) for part in (case.path_parameters, case.query, case.headers, case.body)
    )


def _nul_in(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_nul_in(k) or _nul_in(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_nul_in(v) for v in value)
    return False


@dataclass
class Tally:
    requests: int = 0
    server_errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


@pytest.mark.parametrize(
    ("mode", "caller"),
    [
        (GenerationMode.POSITIVE, "anonymous"),
        (GenerationMode.POSITIVE, "user"),
        (GenerationMode.POSITIVE, "admin"),
        # No anonymous run here: credentials are checked before input, so it would only
        # collect 401s; the public routes get invalid input from the signed-in runs.
        (GenerationMode.NEGATIVE, "user"),
        (GenerationMode.NEGATIVE, "admin"),
    ],
    ids=lambda value: value.value if isinstance(value, GenerationMode) else value,
)
def test_fuzz_api(
    schema: schemathesis.schemas.BaseSchema,
    live: LiveServer,
    upstream: FakeApi,
    database_url: str,
    tmp_path: Path,
    caller: str,
    mode: GenerationMode,
) -> None:
    generated = _generated(schema, mode)
    world = _world(live, database_url, CALLERS[caller], tmp_path, upstream.url)
    name = CALLERS[caller]
    headers = {"X-Test-User": name} if name else {}
    tally = Tally()
    # One keep-alive connection for the run; no cookie carries over from one case to the next.
    http = requests.Session()
    http.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    started = time.monotonic()
    for operation, cases in generated:
        allowed, _ = SEMANTIC_REFUSALS.get(operation.label, (set(), ""))
        for index, (case, drawn) in enumerate(cases):
            if mode is GenerationMode.POSITIVE and drawn:
                case.path_parameters = _pinned(operation, drawn, world, index)
            response = case.call(base_url=live.url, session=http, headers=headers)
            tally.requests += 1
            tally.statuses[response.status_code] += 1
            tally.server_errors += response.status_code >= 500
            refused = allowed | ({400} if _has_nul(case) else set())
            checks = [
                c
                for c in CHECKS
                if c is not positive_data_acceptance or response.status_code not in refused
            ]
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except (Exception, BaseExceptionGroup) as exc:
                tally.failures.append(f"{operation.label} [{response.status_code}]: {exc}")
    elapsed = time.monotonic() - started
    http.close()
    print(
        f"\nfuzz {caller}/{mode.value}: {len(generated)} operations, {tally.requests} requests,"
        f" {tally.server_errors} 5xx, {len(tally.failures)} violations, {elapsed:.1f} s,"
        f" statuses {dict(sorted(tally.statuses.items()))}"
    )
    assert tally.server_errors == 0 and not tally.failures, "\n\n".join(tally.failures)


def test_a_write_is_committed_before_its_answer(live: LiveServer, database_url: str) -> None:
    """Found by fuzzing: the request's transaction committed after the 2xx was sent, so the
    next request, or another connection, could miss a change the client was told was made."""

    async def fresh(runtime: Runtime) -> None:
        # The fuzzing before it on this server may have left any setting (maintenance mode
        # among them) as its last case set it.
        await asyncio.to_thread(truncate_all, database_url)
        runtime.local_cache.clear()
        runtime.server_settings.invalidate()
        await _seed_users(runtime)

    live.call(fresh)
    with (
        httpx.Client(base_url=live.url, headers={"X-Test-User": "user"}) as api,
        psycopg.connect(database_url, autocommit=True) as db,
    ):
        for n in range(20):
            created = api.post("/api/v1/playlists", json={"kind": "video", "name": f"P{n}"})
            assert created.status_code == 201, created.text
            found = db.execute(
                "SELECT count(*) FROM video_playlists WHERE id = %s", (created.json()["id"],)
            ).fetchone()
            assert found == (1,), f"playlist {n} not committed when its 201 arrived"


async def _seed_users(runtime: Runtime) -> None:
    for principal in (ADMIN, USER):
        await execute(
            runtime,
            "INSERT INTO users (id, username, role) VALUES (:i, :n, :r) ON CONFLICT DO NOTHING",
            i=principal.user_id, n=f"fuzz-{principal.username}", r=principal.role,
        )  # fmt: skip


async def test_nul_characters_are_refused_with_400(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    """JSON Schema strings allow NUL, PostgreSQL text cannot hold it: a 400 that says so."""
    await _seed_users(clean_runtime)
    with header_auth(clean_runtime):
        as_user = {"X-Test-User": "user"}
        for method, url, body in [
            ("GET", "/api/v1/movies?genre=a%00b", None),
            ("PATCH", "/api/v1/users/me", {"display_name": "a\u0000b"}),
            ("POST", "/api/v1/playlists", {"kind": "video", "name": "a\u0000b"}),
        ]:
            resp = await client.request(method, url, json=body, headers=as_user)
            assert resp.status_code == 400, (url, resp.text)
            assert resp.json()["detail"] == "Text cannot contain NUL (0x00) characters."


async def test_out_of_range_values_are_refused_with_4xx(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    """Found by fuzzing: ids beyond PostgreSQL's bigint once reached SQL and answered 500."""
    with header_auth(clean_runtime):
        for method, url in [
            ("GET", "/api/v1/admin/jobs?before=99999999999999999999"),
            ("GET", "/api/v1/admin/jobs/99999999999999999999"),
            ("POST", "/api/v1/admin/jobs/99999999999999999999/retry"),
        ]:
            resp = await client.request(method, url, headers={"X-Test-User": "admin"})
            assert resp.status_code == 422, (url, resp.text)
            assert resp.headers["content-type"] == "application/problem+json"
            assert "less than or equal to" in resp.json()["detail"]


def test_openapi_documents_the_problems_each_route_can_answer(
    schema: schemathesis.schemas.BaseSchema,
) -> None:
    doc = schema.raw_schema
    public = doc["paths"]["/api/v1/system/info"]["get"]["responses"]
    admin = doc["paths"]["/api/v1/admin/jobs/{job_id}"]["get"]["responses"]
    assert "401" not in public and "503" in public
    assert {"401", "403", "404", "422", "503"} <= set(admin)
    ref = admin["422"]["content"]["application/problem+json"]["schema"]["$ref"]
    assert ref.endswith("/ValidationProblem")
    # The readiness probe keeps its own 503 body.
    ready = doc["paths"]["/health/ready"]["get"]["responses"]["503"]
    assert ready["content"]["application/json"]["schema"]["$ref"].endswith("/Ready")
    # Route-specific answers: sign-in refusals, ranges and content types of file downloads.
    login = doc["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert {"401", "429"} <= set(login)
    stream = doc["paths"]["/api/v1/stream/{file_id}"]["get"]["responses"]
    assert {"200", "206", "304", "401", "416"} <= set(stream)
    assert "video/*" in stream["206"]["content"]
    image = doc["paths"]["/api/v1/images/{image_id}"]["get"]["responses"]["200"]
    assert "image/jpeg" in image["content"] and "application/json" not in image["content"]
    # Model names are unique, so no component is named after its Python module.
    assert not [name for name in doc["components"]["schemas"] if "__" in name]
