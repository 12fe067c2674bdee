"""A connection's stream pass: the next range of the same request, decided as the last one.

A player fetches a film as hundreds of range requests on one connection, each the same
request but for its `Range`. The routed path decides each afresh: it authenticates, checks
the route's scope, finds the grant, names the file. Once it has answered one that carried a
signed media token and no credentials (no principal: a player's media URL) and no
conditional headers, the connection keeps a pass: the request's path, query and headers
(but `Range` and `X-Request-Id`), the grant the answer rested on, the file's name and type.

A request that matches the pass exactly is decided as the routed path would decide it, on
what can still change, checked each time as the routed path checks it:

- the grant is still the entry `recent_grants` holds (expired, dropped or renewed: the routed
  path runs, and gives the pass a new one);
- maintenance mode (`refused_in_maintenance_now`, the routed path's question; when the
  answer is not known without waiting, the routed path asks it);
- the file, through the kept-open files, whose every hit checks that its path still leads to
  the same version inside the library roots.

What it skips cannot differ for the identical request: the authentication of a request with
no credentials (none: the pass is only made for those), the public route's scope check, and
the file's name and type.

When the request's bytes are known (`request_bytes`), the pass keeps them too: the next
range is then recognised from its bytes before uvicorn parses them (`replays.Replay`), and
decided by the same checks (`still_granted`, and the kept file's own).
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.types import Scope

from revenge.infra.eager_http import CONNECTION
from revenge.server_settings.guard import refused_in_maintenance_now
from revenge.streaming.fast_routes import TEMPLATE
from revenge.streaming.open_files import kept_open
from revenge.streaming.request_bytes import RangeRequest
from revenge.streaming.response import OpenFileResponse
from revenge.streaming.routes import grant_key, recent_grants
from revenge.streaming.service import Caller, StreamFile

if TYPE_CHECKING:
    from revenge.runtime import Runtime

# The headers a player changes from one range to the next; any other change ends the pass.
_VARYING = frozenset({b"range", b"x-request-id"})
_CONDITIONAL = frozenset({b"if-range", b"if-none-match"})

Headers = tuple[tuple[bytes, bytes], ...]


@dataclass(frozen=True, slots=True)
class StreamPass:
    path: str
    query: bytes
    file_id: uuid.UUID  # and the token: what `fast_routes.recognised` read from the two above
    token: str
    headers: Headers  # the request's, but its range and request id
    grant: tuple[Caller, StreamFile]
    media_type: str
    name: str
    request: RangeRequest | None  # its bytes, but the range, when they are known

    @property
    def key(self) -> tuple[object, ...]:
        """Where `recent_grants` keeps the pass's grant."""
        return grant_key(None, self.token, self.file_id)


def steady_headers(scope: Scope) -> Headers:
    return tuple(header for header in scope["headers"] if header[0] not in _VARYING)


def issue(
    scope: Scope,
    runtime: Runtime,
    found: tuple[uuid.UUID, str | None],
    answer: OpenFileResponse,
    received: bytes | None,
) -> StreamPass | None:
    """A pass for the request the routed path has just answered with `answer`, if it may
    have one: no principal (an authenticated caller's credential is checked every time) and
    no conditional headers. `found`: its file id and token; `received`: bytes that may be the
    request's own (`RangeRequest.of` checks), None where its connection is not kept alive."""
    file_id, token = found
    if token is None or scope.get("state", {}).get("principal", False) is not None:
        return None
    headers = steady_headers(scope)
    if any(name in _CONDITIONAL for name, _ in headers):
        return None
    grant = recent_grants(runtime).get(grant_key(None, token, file_id))
    if grant is None:
        return None
    url = scope["path"], scope["query_string"]
    request = None if received is None else RangeRequest.of(received, scope)
    named = answer.file_type, answer.filename
    return StreamPass(*url, file_id, token, headers, grant, *named, request)


def with_request(memo: StreamPass, received: bytes, scope: Scope) -> StreamPass:
    """`memo`, with the bytes of the request in `scope` if `received` are its own: a request
    the pass has just answered, so the same request but for its range."""
    request = RangeRequest.of(received, scope)
    return memo if request is None else dataclasses.replace(memo, request=request)


def _for_url(scope: Scope) -> StreamPass | None:
    """The pass of the request's connection, if it was made for the request's path and query."""
    memo = getattr(scope.get(CONNECTION), "memo", None)
    if not isinstance(memo, StreamPass):
        return None
    if scope["path"] != memo.path or scope["query_string"] != memo.query:
        return None
    return memo


def target(scope: Scope) -> tuple[uuid.UUID, str] | None:
    """The file id and token of a request for its connection's pass's URL, as the pass read
    them from the same path and query (`fast_routes.recognised` would parse them again)."""
    memo = _for_url(scope)
    return None if memo is None else (memo.file_id, memo.token)


def answer(scope: Scope, runtime: Runtime) -> OpenFileResponse | None:
    """The file for a request its connection's pass covers, as the routed path would give
    it, or None: the routed path decides."""
    memo = _for_url(scope)
    if memo is None or steady_headers(scope) != memo.headers:
        return None
    response = reopened(memo, runtime)
    if response is not None:
        scope.setdefault("state", {})["principal"] = None  # as the routed path leaves it
    return response


def still_granted(memo: StreamPass, runtime: Runtime) -> bool | None:
    """Whether the pass's request would still get through as the routed path last let it:
    its grant the same entry, maintenance mode off. None where maintenance mode is not known
    without waiting (the settings loaded again: changed, or old)."""
    if recent_grants(runtime).get(memo.key) is not memo.grant:
        return False
    refused = refused_in_maintenance_now(runtime, TEMPLATE)
    return None if refused is None else not refused


def reopened(memo: StreamPass, runtime: Runtime) -> OpenFileResponse | None:
    """The file for the pass's request again, as the routed path would give it, or None:
    the routed path decides (also when maintenance mode is not known without waiting)."""
    if not still_granted(memo, runtime):
        return None
    found = memo.grant[1]
    opened = kept_open(runtime).open(found.path, found.roots)
    if opened is None:  # gone or escaped since: the routed path says which
        return None
    return OpenFileResponse(opened[0], opened[1], memo.media_type, memo.name)
