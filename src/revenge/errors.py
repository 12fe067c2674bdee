"""Application errors, rendered as RFC 9457 problem+json bodies."""

from __future__ import annotations

from typing import Any, ClassVar

PROBLEM_TYPE_BASE = "https://revenge.dev/problems/"


class AppError(Exception):
    """An error a client should see: a status, a short title and a detail message."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    slug: ClassVar[str] = "bad-request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra
        self.headers: dict[str, str] = {}

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        """The problem+json body."""
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


class BadRequest(AppError):
    status = 400
    title = "Bad request"
    slug = "bad-request"


class Unauthorized(AppError):
    status = 401
    title = "Unauthorized"
    slug = "unauthorized"

    def __init__(self, detail: str = "Authentication required.", **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["WWW-Authenticate"] = "Bearer"


class Forbidden(AppError):
    status = 403
    title = "Forbidden"
    slug = "forbidden"


class NotFound(AppError):
    status = 404
    title = "Not found"
    slug = "not-found"


class Gone(AppError):
    """The thing existed but is no longer available (e.g. a media file missing from disk)."""

    status = 410
    title = "Gone"
    slug = "gone"


class MethodNotAllowed(AppError):
    status = 405
    title = "Method not allowed"
    slug = "method-not-allowed"


class Conflict(AppError):
    status = 409
    title = "Conflict"
    slug = "conflict"


class PayloadTooLarge(AppError):
    status = 413
    title = "Payload too large"
    slug = "payload-too-large"


class UnsupportedMediaType(AppError):
    status = 415
    title = "Unsupported media type"
    slug = "unsupported-media-type"


class RangeNotSatisfiable(AppError):
    status = 416
    title = "Range not satisfiable"
    slug = "range-not-satisfiable"


class Unprocessable(AppError):
    """A well-formed request whose content breaks a rule; `field` names the body field.

    The body carries `errors` like a request validation failure, so every 422 has one shape.
    """

    status = 422
    title = "Unprocessable content"
    slug = "validation"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail, **extra)
        field = extra.get("field")
        loc = ["body", str(field)] if field else ["body"]
        self.extra.setdefault("errors", [{"loc": loc, "msg": detail, "type": "value_error"}])


class TooManyRequests(AppError):
    status = 429
    title = "Too many requests"
    slug = "rate-limited"

    def __init__(self, detail: str, retry_after: int = 60, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["Retry-After"] = str(retry_after)


class BadGateway(AppError):
    """A service this server depends on (an identity provider, ...) failed to answer."""

    status = 502
    title = "Bad gateway"
    slug = "bad-gateway"


class ServiceUnavailable(AppError):
    status = 503
    title = "Service unavailable"
    slug = "unavailable"

    def __init__(self, detail: str, retry_after: int = 5, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["Retry-After"] = str(retry_after)
