"""The one helper that logs every data-changing request: a router-wide dependency.

For POST/PUT/PATCH/DELETE it records, after the handler ran, who did what to which resource
and whether it worked. Defaults come from the route: module = the route's first tag, action =
create/update/delete by method (or the last path word for POST actions like `.../test`),
resource = the last path parameter. A handler refines the record through the `Audit`
dependency (same object, cached per request), e.g. `audit.details["old"] = ...`.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from functools import partial
from types import TracebackType
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from revenge.api.deps import app_runtime, optional_principal, route_template
from revenge.errors import AppError
from revenge.identity import Principal

_ACTIONS = {"POST": "create", "PUT": "update", "PATCH": "update", "DELETE": "delete"}


@dataclass
class AuditRecord:
    """What the audit helper will log for this request; handlers may refine it."""

    module: str | None = None
    action: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    skip: bool = False


def _defaults(request: Request, record: AuditRecord) -> None:
    route = request.scope.get("route")
    template = route_template(request)
    tags = getattr(route, "tags", None) or []
    parts = [p for p in template.split("/") if p and p not in ("api", "v1", "admin")]
    literals = [p for p in parts if not p.startswith("{")]
    record.module = record.module or (str(tags[0]) if tags else (literals or ["api"])[0])
    last_is_word = bool(parts) and not parts[-1].startswith("{") and len(parts) > 1
    if request.method == "POST" and last_is_word and parts[-2].startswith("{"):
        record.action = record.action or parts[-1]
    record.action = record.action or _ACTIONS.get(request.method, request.method.lower())
    params = [p.strip("{}").split(":")[0] for p in parts if p.startswith("{")]
    if params and record.resource_id is None:
        record.resource_id = str(request.path_params.get(params[-1], "")) or None
        before = parts[: parts.index("{" + params[-1] + "}")] if params else []
        record.resource_type = record.resource_type or next(
            (p for p in reversed(before) if not p.startswith("{")), None
        )
    record.resource_type = record.resource_type or (literals[-1] if literals else None)


async def audit_changes(request: Request) -> AuditRecord:
    """Log the outcome of every data-changing request (router-wide dependency)."""
    record = request.state.audit = AuditRecord()
    if request.method in _ACTIONS:
        principal = await optional_principal(request)
        # Logged when the request's exit stack closes, where FastAPI would close a generator
        # dependency, seeing the same exception. Not a generator itself: FastAPI enters every
        # generator dependency into that stack, on every request, reads included, and this
        # one runs on every request of the guarded routes.
        stack: AsyncExitStack = request.scope["fastapi_inner_astack"]
        stack.push_async_exit(partial(_log_outcome, request, record, principal))
    return record


async def _log_outcome(
    request: Request,
    record: AuditRecord,
    principal: Principal | None,
    _type: type[BaseException] | None,
    exc: BaseException | None,
    _traceback: TracebackType | None,
) -> bool:
    if record.skip:
        return False
    error: str | None = None
    if isinstance(exc, AppError):
        error = exc.detail
    elif isinstance(exc, HTTPException):
        error = str(exc.detail)
    elif isinstance(exc, RequestValidationError):
        # The caller's mistake (answered 422), not the server's.
        error = f"invalid input: {_first_problem(exc)}"
    elif isinstance(exc, Exception):
        error = f"internal error ({type(exc).__name__})"
    _defaults(request, record)
    app_runtime(request).activity.log(
        record.module or "api",
        record.action or "change",
        user_id=principal.user_id if principal else None,
        resource_type=record.resource_type,
        resource_id=record.resource_id,
        details=record.details,
        ip_address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
        success=error is None,
        error=error,
    )
    return False  # the exception, if any, goes on


def _first_problem(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "the request"
    where = ".".join(str(p) for p in errors[0].get("loc", ()))
    return f"{where}: {errors[0].get('msg', '')}"[:200]


async def request_audit(request: Request) -> AuditRecord:
    """The record the router-wide `audit_changes` made for this request (made now if none)."""
    record: AuditRecord | None = getattr(request.state, "audit", None)
    return record if record is not None else await audit_changes(request)


Audit = Annotated[AuditRecord, Depends(request_audit)]


async def skip_audit(audit: Audit) -> None:
    """For routers whose service records its own, more precise events (sign-in, sessions)."""
    audit.skip = True
