"""An ASGI response that relays a running conversion and ends it with the request.

Bytes go to the client as the child writes them. Backpressure is end to end: the server's
send waits for a slow socket, this loop stops reading the pipe, the pipe fills and the child
blocks on its next write. Whatever ends the response (the stream finishing, the client
disconnecting, an error, a server shutdown cancelling the task) kills the child and frees
its slot in the concurrency limit.
"""

from __future__ import annotations

import asyncio

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from revenge.playback.converter import Conversion
from revenge.streaming.response import until_disconnect


class ConvertedAudioResponse(Response):
    def __init__(
        self, conversion: Conversion, media_type: str, duration: float | None = None
    ) -> None:
        super().__init__(media_type=media_type)
        self.conversion = conversion
        self.content_type = media_type
        self.duration = duration

    def _start_headers(self) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"content-type", self.content_type.encode("latin-1")),
            (b"cache-control", b"no-store"),
            # A converted stream has no byte offsets to seek to: seeking is by `offset`.
            (b"accept-ranges", b"none"),
            (b"x-content-type-options", b"nosniff"),
        ]
        if self.duration is not None:
            # Firefox shows the length of a stream sent without Content-Length from this.
            headers.append((b"x-content-duration", f"{self.duration:.3f}".encode()))
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            headers = self._start_headers()
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            if scope["method"] == "HEAD":
                await send({"type": "http.response.body", "body": b""})
                return
            await until_disconnect(receive, self._relay(send))
        finally:
            await asyncio.shield(self.conversion.close())

    async def _relay(self, send: Send) -> None:
        while chunk := await self.conversion.read():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
