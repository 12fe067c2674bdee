"""An answer whose JSON the route wrote itself (`infra.rows_json`).

A route answering one declares its model as `response_model`, which the OpenAPI document
shows; FastAPI sends a `Response` as it is, without validating or writing it again.
"""

from __future__ import annotations

from starlette.responses import Response


class WrittenJSON(Response):
    media_type = "application/json"
