"""A range request as its bytes: the next ranges of it recognised without parsing them.

A player sends the same request again and again, but for its `Range`: the same request line
and the same header lines, in the same order, byte for byte. `RangeRequest.of` keeps the
bytes of one such request around its range's value, once they are known to be the very
request uvicorn parsed (the request line and every header line as the scope has them), and
`range_of` finds the range in bytes that are the same request with another range, and
nothing else: one request, whole, with a range of the players' form (`bytes=a-b`, digits).
Anything else, a header more or less, another order, a second request in the same bytes, is
not recognised, and goes to uvicorn's parser as ever.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.types import Scope

_RANGE = re.compile(rb"bytes=([0-9]{1,18})-([0-9]{0,18})")
# A range as `range_of` finds it: its first byte, and its last (None: to the end).
Asked = tuple[int, int | None]
_END = b"\r\n\r\n"
_SPACE = b" \t"


@dataclass(frozen=True, slots=True)
class RangeRequest:
    before: bytes  # the request's bytes up to its range's value
    after: bytes  # and from the end of it

    @classmethod
    def of(cls, data: bytes, scope: Scope) -> RangeRequest | None:
        """The request in `scope` if `data` is exactly its bytes, a bodiless HTTP/1.1 GET
        with one range of the players' form and no request id of the caller's; else None."""
        if scope.get("http_version") != "1.1" or data.find(_END) != len(data) - len(_END):
            return None
        lines = data[: -len(_END)].split(b"\r\n")
        if lines[0] != b"GET " + _target(scope) + b" HTTP/1.1":
            return None
        parsed = [_header(line) for line in lines[1:]]
        if parsed != scope["headers"]:
            return None
        headers = [header for header in parsed if header is not None]
        if any(name == b"x-request-id" for name, _ in headers):
            return None
        found = [i for i, (name, _) in enumerate(headers) if name == b"range"]
        if len(found) != 1 or not _RANGE.fullmatch(headers[found[0]][1]):
            return None
        start = len(b"\r\n".join(lines[: found[0] + 1])) + 2  # the range's line
        line = lines[found[0] + 1]
        name, _, value = line.partition(b":")
        start += len(name) + 1 + len(value) - len(value.lstrip(_SPACE))
        end = start + len(headers[found[0]][1])
        return cls(data[:start], data[end:])

    def range_of(self, data: bytes) -> Asked | None:
        """The range `data` asks for, if it is this request with another range; else None."""
        if not (data.startswith(self.before) and data.endswith(self.after)):
            return None
        found = _RANGE.fullmatch(data, len(self.before), len(data) - len(self.after))
        if found is None:
            return None
        last = found[2]
        return int(found[1]), int(last) if last else None


def _target(scope: Scope) -> bytes:
    query: bytes = scope["query_string"]
    path: bytes = scope["raw_path"]
    return path + b"?" + query if query else path


def _header(line: bytes) -> tuple[bytes, bytes] | None:
    """A header line as uvicorn puts it in the scope; None for a line it would not."""
    name, colon, value = line.partition(b":")
    if not colon or not name or name != name.strip(_SPACE):
        return None
    return name.lower(), value.strip(_SPACE)
