"""Schemathesis against the OpenAPI schema: no 5xx for any caller and any generated input.

Bounded: a fixed number of derandomized examples per operation, caller and generation mode,
so the run is repeatable and stays within seconds.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from revenge.runtime import Runtime
from tests.conftest import make_settings
from tests.support.auth import ADMIN, USER, HeaderAuthenticator, header_auth
from tests.support.live_server import LiveServer

EXAMPLES = 8


@pytest.fixture(scope="module")
def live(
    database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    settings = make_settings(tmp_path_factory.mktemp("fuzz"), database_url, redis_url)
    server = LiveServer(settings, HeaderAuthenticator())
    server.start()
    # The header principals are real accounts, as every signed-in caller is.
    with psycopg.connect(database_url, autocommit=True) as conn:
        for principal in (ADMIN, USER):
            conn.execute(
                "INSERT INTO users (id, username, role) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (principal.user_id, f"fuzz-{principal.username}", principal.role),
            )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def schema(live: LiveServer) -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_url(live.url + "/openapi.json")


def _operations(schema: schemathesis.schemas.BaseSchema) -> list[schemathesis.APIOperation]:
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("caller", [None, "user", "admin"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzz_api(
    schema: schemathesis.schemas.BaseSchema,
    live: LiveServer,
    caller: str | None,
    mode: GenerationMode,
) -> None:
    headers = {"X-Test-User": caller} if caller else {}
    failures: list[str] = []
    for operation in _operations(schema):

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case: schemathesis.Case) -> None:
            response = case.call(base_url=live.url, headers=headers)
            case.validate_response(response, checks=[not_a_server_error], headers=headers)

        try:
            run()
        except Unsatisfiable:
            # No invalid input exists for this operation (e.g. it takes no parameters).
            assert mode is GenerationMode.NEGATIVE, operation.label
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)


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
