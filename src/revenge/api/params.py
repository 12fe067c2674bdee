"""Query parameter types whose validation matches what the OpenAPI document says."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from pydantic import BeforeValidator

from revenge.errors import BadRequest

_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _not_a_number(value: Any) -> Any:
    # Pydantic reads a bare number as seconds since 1970; the schema promises an ISO 8601
    # date-time, so a number is refused rather than taken for a moment in 1970.
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("expected an ISO 8601 date-time, e.g. 2024-05-01T12:00:00Z")
    return value


DateTimeParam = Annotated[datetime, BeforeValidator(_not_a_number)]


def _declared_keys(route: Any) -> frozenset[str]:
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return frozenset()
    found = _DECLARED.get(id(route))
    if found is None:
        found = frozenset(_query_aliases(dependant))
        _DECLARED[id(route)] = found
    return found


_DECLARED: dict[int, frozenset[str]] = {}


def _query_aliases(dependant: Dependant) -> list[str]:
    found = [p.alias for p in dependant.query_params]
    for sub in dependant.dependencies:
        found.extend(_query_aliases(sub))
    return found


async def known_query_keys(request: Request) -> None:
    """Router dependency: 400 naming the first query key the route does not declare.

    A misspelt filter (`?qeury=...`, `?state=...`) would otherwise be ignored silently and
    the caller would read an unfiltered answer as the filtered one.
    """
    known = _declared_keys(request.scope.get("route"))
    for key in request.query_params:
        if key not in known:
            raise BadRequest(f"Unknown query parameter '{key}'.", key=key)
