"""Subsonic envelopes: XML or JSON bodies from one nested payload, and the error codes.

A payload is a dict: scalar values become XML attributes, dicts child elements, lists
repeated child elements (of dicts, or of scalars as element text), and the key `value` an
element's text. JSON keeps the same shape, as the OpenSubsonic spec defines it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from starlette.responses import Response

from revenge import __version__

API_VERSION = "1.16.1"
XMLNS = "http://subsonic.org/restapi"
Payload = dict[str, Any]

# The spec's error codes.
GENERIC = 0
MISSING_PARAMETER = 10
WRONG_CREDENTIALS = 40
TOKEN_AUTH_NOT_SUPPORTED = 41
AUTH_MECHANISM_NOT_SUPPORTED = 42
CONFLICTING_AUTH = 43
INVALID_API_KEY = 44
NOT_AUTHORIZED = 50
NOT_FOUND = 70


class SubsonicError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def not_found(what: str = "Data") -> SubsonicError:
    return SubsonicError(NOT_FOUND, f"{what} not found.")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


_PLAIN = frozenset({str, int, float, bool})


def _json_value(value: Any) -> Any:
    """The payload as JSON has it: None values of objects left out, dates as ISO 8601.

    Exact type checks, and plain values taken as they are without a call: a list answer is
    a few thousand of them, and this walk once cost as much as encoding the JSON."""
    kind = type(value)
    if kind is dict:
        out = {}
        for key, item in value.items():
            if item is None:
                continue
            out[key] = item if type(item) in _PLAIN else _json_value(item)
        return out
    if kind is list or kind is tuple:
        return [item if type(item) in _PLAIN else _json_value(item) for item in value]
    if kind in _PLAIN or value is None:
        return value
    if isinstance(value, dict):
        return _json_value(dict(value))
    if isinstance(value, list | tuple):
        return _json_value(list(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _element(name: str, value: Any, out: list[str]) -> None:
    if isinstance(value, list | tuple):
        for item in value:
            _element(name, item, out)
        return
    if not isinstance(value, dict):
        out.append(f"<{name}>{escape(_scalar(value))}</{name}>")
        return
    attrs = "".join(
        f" {k}={quoteattr(_scalar(v))}"
        for k, v in value.items()
        if v is not None and k != "value" and not isinstance(v, dict | list | tuple)
    )
    inner: list[str] = []
    if value.get("value") is not None:
        inner.append(escape(_scalar(value["value"])))
    for k, v in value.items():
        if isinstance(v, dict | list | tuple):
            _element(k, v, inner)
    out.append(f"<{name}{attrs}>{''.join(inner)}</{name}>" if inner else f"<{name}{attrs}/>")


def envelope(status: str, payload: Payload) -> Payload:
    return {
        "status": status, "version": API_VERSION, "type": "revenge",
        "serverVersion": __version__, "openSubsonic": True, **payload,
    }  # fmt: skip


def render(payload: Payload, fmt: str, status: str = "ok") -> Response:
    """The response in the format asked for (`json`, else XML)."""
    body = envelope(status, payload)
    if fmt == "json":
        data = json.dumps({"subsonic-response": _json_value(body)}, separators=(",", ":"))
        return Response(data, media_type="application/json")
    out: list[str] = []
    _element("subsonic-response", {"xmlns": XMLNS, **body}, out)
    xml = '<?xml version="1.0" encoding="UTF-8"?>' + "".join(out)
    return Response(xml, media_type="text/xml")


def render_error(error: SubsonicError, fmt: str) -> Response:
    return render({"error": {"code": error.code, "message": error.message}}, fmt, "failed")
