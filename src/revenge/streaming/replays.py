"""The next ranges of a connection's pass, answered from their bytes (`Connection.shortcut`).

Once a connection's stream pass knows its request's bytes (`passes`, `request_bytes`), a
`Replay` is the connection's shortcut: given the bytes of the next request, it recognises the
same request with another range, decides it by the pass's checks (`passes.still_granted`:
the same grant, maintenance mode off; the kept file still the path's own version), and
answers it as `direct` answers a parsed one, head and bytes alike (`answering`). Where it
would answer otherwise (a range past the end, one backwards, an empty file, a check that
fails) it declines, and uvicorn parses the request for the path that answers those.

Each request costs what must be asked again, and nothing more: no scope, no request
object, no coroutine, no duplicate of the file's descriptor (the kept one is borrowed while
the answer is written, `OpenFiles.borrow`), and the head's fixed part is written once per
file version and second (`_opening`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from revenge.api.middleware import request_id_of
from revenge.streaming import passes
from revenge.streaming.answering import STATUS_LINES, Answering, block, range_head, send
from revenge.streaming.open_files import Kept, kept_open
from revenge.streaming.request_bytes import Asked, RangeRequest
from revenge.streaming.response import file_headers
from revenge.streaming.zerocopy import Sending

if TYPE_CHECKING:
    from revenge.runtime import Runtime


class Replay:
    """A connection's shortcut to the next ranges of its pass's request."""

    def __init__(
        self, memo: passes.StreamPass, request: RangeRequest, runtime: Runtime, sending: Sending
    ) -> None:
        self.memo = memo
        self.request = request
        self.runtime = runtime
        self.sending = sending
        self.files = kept_open(runtime)
        found = memo.grant[1]
        self.path, self.roots = found.path, tuple(found.roots)
        # The head's opening, and the kept file and uvicorn header list it was written for.
        self._opening: tuple[object, object, bytes] = (None, None, b"")

    def __call__(self, data: bytes) -> Answering:
        asked = self.request.range_of(data)
        return False if asked is None else self._decided(asked, may_wait=True)

    def _decided(self, asked: Asked, may_wait: bool) -> Answering:
        granted = passes.still_granted(self.memo, self.runtime)
        if granted is None and may_wait:
            return self._once_known(asked)
        return self._answered(asked) if granted else False

    async def _once_known(self, asked: Asked) -> bool:
        await self.runtime.server_settings.get("maintenance.mode")
        answering = self._decided(asked, may_wait=False)
        return answering if isinstance(answering, bool) else await answering

    def _answered(self, asked: Asked) -> Answering:
        started = time.perf_counter()
        kept = self.files.borrow(self.path, self.roots)
        if kept is None:  # changed, gone or escaped since: the routed path says which
            return False
        size = kept.st.st_size
        first, last = asked
        end = size if last is None or last >= size else last + 1
        if first >= end:  # past the end (416), backwards (the whole file) or an empty file
            return False
        request_id = request_id_of(None)
        head = range_head(self._opening_for(kept), first, end, size, request_id)
        record = (self.runtime.metrics, 206, started, request_id, self.memo.name)
        return send(self.sending, head, kept.fd, first, end - first, record)

    def _opening_for(self, kept: Kept) -> bytes:
        """The status line, uvicorn's headers and the file's, as they open a 206's head."""
        defaults = self.sending.default_headers
        opening = self._opening
        if opening[0] is not kept or opening[1] is not defaults:
            own = file_headers(kept.st, self.memo.media_type).block
            opening = self._opening = (kept, defaults, STATUS_LINES[206] + block(defaults) + own)
        return opening[2]
