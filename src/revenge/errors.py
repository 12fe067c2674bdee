"""Application errors, rendered as RFC 9457 problem+json bodies."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

PROBLEM_TYPE_BASE = "https://revenge.dev/problems/"


class AppError(Exception):
    """An error a client should see: a status, a short title and a detail message."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    slug: ClassVar[str] = "bad-request"

    def __init_subclass__(
        cls, status: int | None = None, title: str | None = None, slug: str | None = None
    ) -> None:
        # Each subclass names its status, title and problem-type slug in its class line.
        super().__init_subclass__()
        if status is not None:
            cls.status = status
        if title is not None:
            cls.title = title
        if slug is not None:
            cls.slug = slug

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


class BadRequest(AppError, status=400, title="Bad request", slug="bad-request"):
    pass


class Unauthorized(AppError, status=401, title="Unauthorized", slug="unauthorized"):
    def __init__(self, detail: str = "Authentication required.", **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["WWW-Authenticate"] = "Bearer"


class Forbidden(AppError, status=403, title="Forbidden", slug="forbidden"):
    pass


class NotFound(AppError, status=404, title="Not found", slug="not-found"):
    pass


class Gone(AppError, status=410, title="Gone", slug="gone"):
    """The thing existed but is no longer available (e.g. a media file missing from disk)."""


class MethodNotAllowed(AppError, status=405, title="Method not allowed", slug="method-not-allowed"):
    pass


class Conflict(AppError, status=409, title="Conflict", slug="conflict"):
    pass


class PayloadTooLarge(AppError, status=413, title="Payload too large", slug="payload-too-large"):
    pass


class UnsupportedMediaType(
    AppError, status=415, title="Unsupported media type", slug="unsupported-media-type"
):
    pass


class RangeNotSatisfiable(
    AppError, status=416, title="Range not satisfiable", slug="range-not-satisfiable"
):
    pass


class Unprocessable(AppError, status=422, title="Unprocessable content", slug="validation"):
    """A well-formed request whose content breaks a rule; `field` names the body field.

    The body carries `errors` like a request validation failure, so every 422 has one shape.
    """

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail, **extra)
        field = extra.get("field")
        loc = ["body", str(field)] if field else ["body"]
        self.extra.setdefault("errors", [{"loc": loc, "msg": detail, "type": "value_error"}])


class _RetryLater(AppError):
    """An error that tells the client when to try again (`Retry-After`, in seconds)."""

    default_retry_after: ClassVar[int] = 60

    def __init__(self, detail: str, retry_after: int | None = None, **extra: Any) -> None:
        super().__init__(detail, **extra)
        wait = self.default_retry_after if retry_after is None else retry_after
        self.headers["Retry-After"] = str(wait)


class TooManyRequests(_RetryLater, status=429, title="Too many requests", slug="rate-limited"):
    default_retry_after = 60


class BadGateway(AppError, status=502, title="Bad gateway", slug="bad-gateway"):
    """A service this server depends on (an identity provider, ...) failed to answer."""


class ServiceUnavailable(_RetryLater, status=503, title="Service unavailable", slug="unavailable"):
    default_retry_after = 5


T = TypeVar("T")


def must_exist(found: T | None, detail: str) -> T:
    """`found`, or NotFound with `detail` when a lookup came back empty."""
    if found is None:
        raise NotFound(detail)
    return found
