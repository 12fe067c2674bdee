"""Exception handlers: every error leaves as problem+json, never as a stack trace."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from revenge.errors import PROBLEM_TYPE_BASE, AppError, BadRequest, ServiceUnavailable

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

_HTTP_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    502: "Bad gateway",
    503: "Service unavailable",
}


def problem_response(
    status: int,
    title: str,
    detail: str,
    slug: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": PROBLEM_TYPE_BASE + slug, "title": title, "status": status, "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return JSONResponse(
        exc.problem(), status_code=exc.status, media_type=PROBLEM_JSON, headers=exc.headers
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    title = _HTTP_TITLES.get(exc.status_code, "Error")
    detail = exc.detail if isinstance(exc.detail, str) else title
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No route matches {request.method} {request.url.path}."
    slug = title.lower().replace(" ", "-")
    return problem_response(exc.status_code, title, detail, slug, dict(exc.headers or {}))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "loc": [str(p) for p in err.get("loc", ())],
            "msg": err.get("msg", ""),
            "type": err.get("type", ""),
        }
        for err in exc.errors()
    ]
    if any(err["type"] == "json_invalid" for err in errors):
        return _app_error_response(BadRequest("The request body is not valid JSON."))
    first = errors[0] if errors else {"loc": [], "msg": "invalid input"}
    where = ".".join(first["loc"][1:] if len(first["loc"]) > 1 else first["loc"])
    return problem_response(
        422, "Unprocessable content", f"{where}: {first['msg']}", "validation", errors=errors
    )


def _app_error_response(exc: AppError) -> JSONResponse:
    return JSONResponse(
        exc.problem(), status_code=exc.status, media_type=PROBLEM_JSON, headers=exc.headers
    )


def _refused_value(exc: Exception) -> BaseException | None:
    """PostgreSQL's refusal of a value (SQLSTATE class 22), whether it came through
    SQLAlchemy or straight from psycopg (the reads that run on `infra.db.raw`)."""
    if isinstance(exc, DataError):
        return exc.orig
    return exc if isinstance(exc, psycopg.DataError) else None


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    refused = _refused_value(exc)
    if refused is not None:
        # A value PostgreSQL cannot hold (out of range, bad encoding...). It came from the
        # request, which a route's validation should have bounded.
        log.warning("value refused by the database on %s: %s", request.url.path, refused)
        if "NUL" in str(refused):
            return _app_error_response(BadRequest("Text cannot contain NUL (0x00) characters."))
        return _app_error_response(BadRequest("A value in the request is out of range."))
    if isinstance(exc, DBAPIError) and not _is_connection_error(exc):
        return await _unexpected(request, exc)
    if isinstance(exc, psycopg.Error) and not isinstance(exc, psycopg.OperationalError):
        return await _unexpected(request, exc)
    log.warning("database unavailable: %s", exc.__class__.__name__)
    return _app_error_response(
        ServiceUnavailable("The database is unavailable; try again in a few seconds.")
    )


def _is_connection_error(exc: DBAPIError) -> bool:
    return isinstance(exc, OperationalError) or exc.connection_invalidated


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        500,
        "Internal server error",
        "An unexpected error occurred; it has been logged.",
        "internal",
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(PoolTimeoutError, _database_unavailable)
    app.add_exception_handler(DBAPIError, _database_unavailable)
    app.add_exception_handler(psycopg.Error, _database_unavailable)
    app.add_exception_handler(OSError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected)
