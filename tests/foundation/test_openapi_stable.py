"""The published API only grows: every path, operation and schema of the recorded document stays.

`openapi_snapshot.json` beside this file is the document as clients know it. A change may add
paths, operations, schemas and properties; it may not remove one or change a property's type,
an operation's id, its parameters or the schemas it takes and answers. After a deliberate,
additive change, refresh the snapshot with `python -m tests.foundation.test_openapi_stable`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import httpx

SNAPSHOT = Path(__file__).with_name("openapi_snapshot.json")
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
# What a value's shape is made of; titles, descriptions, defaults and examples may change.
_SHAPE_KEYS = ("type", "format", "$ref", "items", "anyOf", "oneOf", "allOf", "additionalProperties")


def _shape(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_shape(part) for part in schema]
    if not isinstance(schema, dict):
        return schema
    return {key: _shape(schema[key]) for key in _SHAPE_KEYS if key in schema}


def _bodies(content: dict[str, Any]) -> dict[str, Any]:
    return {media: _shape(part.get("schema", {})) for media, part in content.items()}


def _operation_losses(where: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    losses = []
    if old.get("operationId") != new.get("operationId"):
        losses.append(f"{where}: operationId {old.get('operationId')} -> {new.get('operationId')}")
    new_params = {(p["in"], p["name"]): p for p in new.get("parameters", [])}
    for param in old.get("parameters", []):
        key = (param["in"], param["name"])
        if key not in new_params:
            losses.append(f"{where}: parameter {key} removed")
        elif _shape(param.get("schema")) != _shape(new_params[key].get("schema")):
            losses.append(f"{where}: parameter {key} changed type")
    old_body = _bodies(old.get("requestBody", {}).get("content", {}))
    new_body = _bodies(new.get("requestBody", {}).get("content", {}))
    if old_body != new_body:
        losses.append(f"{where}: request body {old_body} -> {new_body}")
    new_responses = new.get("responses", {})
    for status, answer in old.get("responses", {}).items():
        if status not in new_responses:
            losses.append(f"{where}: response {status} removed")
            continue
        old_content = _bodies(answer.get("content", {}))
        new_content = _bodies(new_responses[status].get("content", {}))
        if any(new_content.get(media) != shape for media, shape in old_content.items()):
            losses.append(f"{where}: response {status} {old_content} -> {new_content}")
    return losses


def _schema_losses(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    losses = []
    if old.get("type") != new.get("type"):
        losses.append(f"schema {name}: type {old.get('type')} -> {new.get('type')}")
    new_props = new.get("properties", {})
    for prop, shape in old.get("properties", {}).items():
        if prop not in new_props:
            losses.append(f"schema {name}: property {prop} removed")
        elif _shape(shape) != _shape(new_props[prop]):
            losses.append(f"schema {name}: property {prop} changed type")
    newly_required = set(new.get("required", [])) - set(old.get("required", []))
    if newly_required:
        losses.append(f"schema {name}: newly required {sorted(newly_required)}")
    if "enum" in old and set(old["enum"]) - set(new.get("enum", [])):
        losses.append(f"schema {name}: enum values removed")
    return losses


def losses(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What a client of `old` would miss in `new`; additions are not losses."""
    found = []
    for path, operations in old["paths"].items():
        if path not in new["paths"]:
            found.append(f"path {path} removed")
            continue
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            now = new["paths"][path].get(method)
            if now is None:
                found.append(f"{method.upper()} {path} removed")
            else:
                found += _operation_losses(f"{method.upper()} {path}", operation, now)
    new_schemas = new.get("components", {}).get("schemas", {})
    for name, schema in old.get("components", {}).get("schemas", {}).items():
        if name not in new_schemas:
            found.append(f"schema {name} removed")
        else:
            found += _schema_losses(name, schema, new_schemas[name])
    return found


async def test_openapi_only_grows(client: httpx.AsyncClient) -> None:
    current = (await client.get("/openapi.json")).json()
    recorded = json.loads(SNAPSHOT.read_text())
    assert losses(recorded, current) == []


def test_the_comparison_notices_a_removed_property() -> None:
    recorded = json.loads(SNAPSHOT.read_text())
    name, schema = next(
        (n, s) for n, s in recorded["components"]["schemas"].items() if s.get("properties")
    )
    changed = json.loads(json.dumps(recorded))
    dropped = next(iter(schema["properties"]))
    del changed["components"]["schemas"][name]["properties"][dropped]
    some_path = next(iter(changed["paths"]))
    del changed["paths"][some_path]
    changed["paths"]["/api/v1/added"] = {"get": {"responses": {}}}
    assert losses(recorded, changed) == [
        f"path {some_path} removed",
        f"schema {name}: property {dropped} removed",
    ]


def _record() -> None:
    from revenge.app import create_app
    from revenge.config import Settings

    settings = Settings(data_dir=Path("/tmp"), database_url="postgresql://unused/unused")
    document = create_app(settings, run_worker=False).openapi()
    SNAPSHOT.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    sys.stdout.write(f"recorded {len(document['paths'])} paths in {SNAPSHOT}\n")


if __name__ == "__main__":
    _record()
