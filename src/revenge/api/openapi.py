"""The OpenAPI document, completed with the error responses every route can really give.

FastAPI documents only success and its own 422 shape. Here each operation also lists the
problem+json answers the guard, the handlers and the middleware produce, derived from the
route itself, so routes added later are documented without doing anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi import routing as fastapi_routing
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict

from revenge.api.auth import is_public
from revenge.api.deps import admin_user
from revenge.api.params import known_query_keys, query_model
from revenge.api.problems import PROBLEM_JSON

_REF = "#/components/schemas/{model}"


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, for people and programs."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str


class FieldError(BaseModel):
    loc: list[str]
    msg: str
    type: str


class ValidationProblem(Problem):
    """A 422 problem listing each invalid field."""

    errors: list[FieldError]


_ALWAYS = {"503": "The database is unreachable; retry after `Retry-After` seconds."}
_WITH_BODY = {
    "400": "The body is not valid JSON.",
    "413": "The body is larger than the server accepts.",
    "415": "The body is not JSON.",
}


def _problem(description: str, model: str = "Problem") -> dict[str, Any]:
    schema = {"$ref": _REF.format(model=model)}
    return {"description": description, "content": {PROBLEM_JSON: {"schema": schema}}}


def _dependencies(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _dependencies(sub)


def _reads_query(dependant: Dependant) -> bool:
    """Whether the route, or a dependency it declares, reads query parameters."""
    return (
        bool(dependant.query_params)
        or query_model(dependant.call) is not None
        or any(_reads_query(d) for d in dependant.dependencies)
    )


def _query_models(route: APIRoute) -> Iterator[type[BaseModel]]:
    """The models the route, or its dependencies, read the whole query as
    (`reads_query_as`)."""
    for call in (route.dependant.call, *_dependencies(route.dependant)):
        model = query_model(call)
        if model is not None:
            yield model


def _model_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The query parameters a model read by `api.params.query_of` stands for, each
    described as FastAPI describes a declared one."""
    schema = model.model_json_schema(ref_template=_REF)
    required = set(schema.get("required", ()))
    found = []
    for name, field in schema["properties"].items():
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
        if "description" in field:
            parameter["description"] = field["description"]
        parameter["schema"] = field
        found.append(parameter)
    return found


def _add_query_models(operation: dict[str, Any], route: APIRoute) -> None:
    parameters = operation.setdefault("parameters", [])
    known = {(p["in"], p["name"]) for p in parameters}
    for model in _query_models(route):
        parameters.extend(p for p in _model_parameters(model) if ("query", p["name"]) not in known)


def _errors_for(route: APIRoute, path: str, method: str) -> dict[str, dict[str, Any]]:
    found = {code: _problem(text) for code, text in _ALWAYS.items()}
    if not is_public(method, path):
        found["401"] = _problem("No valid credentials were sent.")
    deps = set(_dependencies(route.dependant))
    if admin_user in deps:
        found["403"] = _problem("The caller is not an administrator.")
    if route.body_field is not None:
        found.update({code: _problem(text) for code, text in _WITH_BODY.items()})
    if route.dependant.path_params:
        found["404"] = _problem("Nothing exists at this path.")
    if known_query_keys in deps:
        found["400"] = _problem("A query key is unknown, or a value is malformed.")
    if route.dependant.path_params or _reads_query(route.dependant) or route.body_field:
        found.setdefault("400", _problem("A value is malformed or out of range."))
        found["422"] = _problem("A parameter or field is invalid.", "ValidationProblem")
    return found


# How callers authenticate (api.auth / accounts.authenticator), so /docs has an Authorize
# button: a session token or access key as a bearer token, or an access key in `X-Api-Key`.
SECURITY_SCHEMES = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A session token (`rvs_...`, from POST /api/v1/auth/login) or a personal"
        " access key (`rvk_...`).",
    },
    "apiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": "A personal access key (`rvk_...`).",
    },
}


def build_schema(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document plus the problem responses, computed once."""
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    schema["components"] = schema.get("components", {}) | {"securitySchemes": SECURITY_SCHEMES}
    schema["security"] = [{"bearer": []}, {"apiKey": []}]
    components = schema["components"].setdefault("schemas", {})
    for model in (Problem, FieldError, ValidationProblem):
        components[model.__name__] = model.model_json_schema(ref_template=_REF)
    # FastAPI's own 422 shape is never sent: our handler answers with ValidationProblem.
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    for path, route in _api_routes(app):
        for method in route.methods or ():
            operation = schema["paths"].get(path, {}).get(method.lower())
            if operation is not None:
                _add_query_models(operation, route)
                if is_public(method, path):
                    operation["security"] = [{}, {"bearer": []}, {"apiKey": []}]
                responses = operation["responses"]
                for code, response in _errors_for(route, path, method).items():
                    # A route's own description of a status (e.g. readiness 503) wins, except
                    # FastAPI's default 422, whose shape our handler never sends.
                    if code == "422" or code not in responses:
                        responses[code] = response
    return schema


def _api_routes(app: FastAPI) -> Iterator[tuple[str, APIRoute]]:
    """(full path template, route) for every documented route, through included routers."""
    iter_contexts = getattr(fastapi_routing, "iter_route_contexts", None)
    if iter_contexts is None:  # FastAPI before lazily included routers
        contexts: Iterable[Any] = (
            (r.path_format, r) for r in app.routes if hasattr(r, "path_format")
        )
    else:
        contexts = ((c.path_format, c.original_route) for c in iter_contexts(app.routes))
    for path, route in contexts:
        if isinstance(route, APIRoute) and route.include_in_schema:
            yield path, route


def problem_responses(described: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route's own problem statuses, e.g. `{409: "Already running."}`."""
    return {status: _problem(text) for status, text in described.items()}


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_schema(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
