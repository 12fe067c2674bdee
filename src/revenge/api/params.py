"""Query parameter types whose validation matches what the OpenAPI document says."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator

_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _not_a_number(value: Any) -> Any:
    # Pydantic reads a bare number as seconds since 1970; the schema promises an ISO 8601
    # date-time, so a number is refused rather than taken for a moment in 1970.
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("expected an ISO 8601 date-time, e.g. 2024-05-01T12:00:00Z")
    return value


DateTimeParam = Annotated[datetime, BeforeValidator(_not_a_number)]
