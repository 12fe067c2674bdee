"""Pure-ASGI middleware: request id, body size and content type limits, access metrics.

Pure ASGI (not BaseHTTPMiddleware) keeps streaming responses streaming and costs little.
A body refused while it arrives (over the size limit without a Content-Length, or JSON not
in UTF-8) is answered here at once; the app then sees the client as gone, so FastAPI's own
"error parsing the body" 400 never replaces the answer. Every response carries
`X-Content-Type-Options: nosniff`, so a browser never runs a subtitle or other text file
served here as a script or page.
"""

from __future__ import annotations

import json
import logging
import random
import secrets
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from revenge.infra.logs import request_id_var, user_id_var
from revenge.infra.metrics import Metrics

log = logging.getLogger(__name__)


_BODY_METHODS = {b"POST", b"PUT", b"PATCH"}
_JSON_TYPES = ("application/json", "application/merge-patch+json")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _problem(status: int, title: str, detail: str, slug: str) -> bytes:
    return json.dumps(
        {
            "type": f"https://revenge.dev/problems/{slug}",
            "title": title,
            "status": status,
            "detail": detail,
        }
    ).encode()


NOSNIFF = (b"x-content-type-options", b"nosniff")
# JSON text must be UTF-8 (RFC 8259 section 8.1); json.loads would silently decode these.
_OTHER_UNICODE = (b"\xff\xfe", b"\xfe\xff", b"\x00")
_NOT_UTF8 = _problem(
    415,
    "Unsupported media type",
    "JSON request bodies must be encoded as UTF-8.",
    "unsupported-media-type",
)


def _not_utf8(first: bytes) -> bool:
    """UTF-16/32 (with or without a byte order mark) shows in the first two bytes."""
    return first.startswith(_OTHER_UNICODE) or (len(first) > 1 and first[1] == 0)


async def _send_problem(send: Send, status: int, body: bytes, request_id: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-request-id", request_id.encode()),
                NOSNIFF,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


_INTERNAL = _problem(
    500, "Internal server error", "An unexpected error occurred; it has been logged.", "internal"
)


class RequestGuardMiddleware:
    """Assigns a request id; refuses oversized bodies (413) and non-JSON bodies (415)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = request_id_of(headers.get(b"x-request-id"))
        token = request_id_var.set(request_id)
        user_token = user_id_var.set(None)
        try:
            await self._handle(scope, receive, send, headers, request_id)
        finally:
            user_id_var.reset(user_token)
            request_id_var.reset(token)

    async def _handle(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: dict[bytes, bytes],
        request_id: str,
    ) -> None:
        refusal = self._refuse(scope, headers)
        if refusal is not None:
            await _send_problem(send, refusal[0], refusal[1], request_id)
            return
        started = time.perf_counter()
        status_holder: dict[str, Any] = {"status": 500, "sent": False, "refused": False}
        received = 0
        json_body = _json_type(headers)

        async def refuse(status: int, body: bytes) -> Message:
            # Answer now; the app is told the client left, so it stops reading and its own
            # answer (dropped by tagged_send) never goes out.
            if not status_holder["sent"]:
                status_holder.update(status=status, sent=True)
                await _send_problem(send, status, body, request_id)
            status_holder["refused"] = True
            return {"type": "http.disconnect"}

        async def limited_receive() -> Message:
            nonlocal received
            if status_holder["refused"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                if json_body and received == 0 and chunk and _not_utf8(chunk[:4]):
                    return await refuse(415, _NOT_UTF8)
                received += len(chunk)
                if received > self.max_body:
                    return await refuse(413, self._too_large())
            return message

        async def tagged_send(message: Message) -> None:
            if status_holder["refused"]:
                return
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["sent"] = True
                sent_headers = list(message.get("headers", []))
                sent_headers.append((b"x-request-id", request_id.encode()))
                if not any(name.lower() == NOSNIFF[0] for name, _ in sent_headers):
                    sent_headers.append(NOSNIFF)
                message["headers"] = sent_headers
            await send(message)

        try:
            await self.app(scope, limited_receive, tagged_send)
        except Exception:
            if status_holder["refused"]:
                return  # already answered; whatever the app made of the disconnect is moot
            # Handled here, inside the request's context, so the record names the request
            # and the caller; Starlette's outer error middleware would see neither.
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if status_holder["sent"]:
                raise
            status_holder["status"] = 500
            await _send_problem(send, 500, _INTERNAL, request_id)
        finally:
            metrics: Metrics | None = getattr(scope["app"].state, "metrics", None)
            if metrics is not None:
                template = getattr(scope.get("route"), "path", "<unmatched>")
                metrics.observe_http(
                    scope["method"],
                    template,
                    status_holder["status"],
                    time.perf_counter() - started,
                )

    def _refuse(self, scope: Scope, headers: dict[bytes, bytes]) -> tuple[int, bytes] | None:
        length = headers.get(b"content-length")
        if length is not None:
            try:
                if int(length) > self.max_body:
                    return 413, self._too_large()
            except ValueError:
                return 400, _problem(400, "Bad request", "Invalid Content-Length.", "bad-request")
        if scope["method"].encode() not in _BODY_METHODS:
            return None
        has_body = (length is not None and length != b"0") or b"transfer-encoding" in headers
        raw_type = headers.get(b"content-type", b"").decode("latin-1")
        ctype = raw_type.split(";")[0].strip().lower()
        if has_body and _json_type(headers) and _charset(raw_type) not in (None, "utf-8", "utf8"):
            return 415, _NOT_UTF8
        if has_body and not _accepted_type(ctype):
            return 415, _problem(
                415,
                "Unsupported media type",
                f"Request bodies must be application/json, not {ctype or 'unspecified'}.",
                "unsupported-media-type",
            )
        return None

    def _too_large(self) -> bytes:
        return _problem(
            413,
            "Payload too large",
            f"Request bodies are limited to {self.max_body} bytes.",
            "payload-too-large",
        )


def _json_type(headers: dict[bytes, bytes]) -> bool:
    ctype = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
    return ctype in _JSON_TYPES or ctype.endswith("+json")


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def _accepted_type(ctype: str) -> bool:
    return ctype in _JSON_TYPES or ctype.endswith("+json") or ctype in _FORM_TYPES


# Request ids only tell requests apart in logs, so a generator seeded once from the system's
# randomness makes them: `secrets` asked the kernel for random bytes on every request.
_ids = random.Random(secrets.randbits(128))


def request_id_of(raw: bytes | None) -> str:
    """The caller's request id (its `X-Request-Id`) if it is short and printable, else a new one."""
    if raw is not None and len(raw) <= 64:
        text = raw.decode("latin-1")
        if text and text.isprintable() and " " not in text:
            return text
    return f"{_ids.getrandbits(64):016x}"
