"""`GET /api/v1/events`: live updates for the signed-in user as Server-Sent Events.

Each message is `id: <event id>`, `event: <type>`, `data: <JSON>`; a comment line every
`events.heartbeat_seconds` keeps proxies from closing an idle stream. Reconnecting with
`Last-Event-ID` replays what this node still holds of what was missed. The caller's
credentials are checked again at every heartbeat and whenever their sessions change: a
revoked session's stream ends. Streams end after `events.stream_max_seconds` (browsers'
EventSource reconnects by itself).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from revenge.api.deps import CurrentUser, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.errors import ServiceUnavailable
from revenge.events.live import LiveHub, Viewer
from revenge.events.runner import live_hub
from revenge.libraries.access import allowed_library_ids

if TYPE_CHECKING:
    from revenge.runtime import Runtime

router = APIRouter(tags=["events"])

_STREAM_DOC = (
    "A stream of `id:`/`event:`/`data:` messages (data: the event as JSON with `id`, `type`,"
    " `title`, `message`, `data`, `occurred_at`) and `:` heartbeat comments."
)


@router.get(
    "/api/v1/events",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": _STREAM_DOC,
            # Each server-sent event, as a client's event source reads it.
            "content": {
                "text/event-stream": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "event": {"type": "string"},
                            "id": {"type": "string"},
                            "data": {"type": "string", "description": "The event, as JSON."},
                        },
                    }
                }
            },
        },
        **problem_responses({503: "This node does not serve live updates."}),
    },
)
async def live_events(
    request: Request,
    principal: CurrentUser,
    runtime: RuntimeDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """Live updates: scans, items added or changed, jobs, settings, own sessions, playback
    (administrators); only about libraries the caller may see."""
    hub = live_hub(runtime)
    if hub is None:
        raise ServiceUnavailable("Live updates are not running on this node.")
    async with runtime.db.transaction() as session:
        libraries = await allowed_library_ids(session, principal)
    viewer = Viewer(principal.user_id, principal.role == "admin", libraries)
    # Ids are ours (decimal); anything else is a client that never got one: no replay.
    text = (last_event_id or "").strip()
    last = int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None
    hub.add(viewer, last)
    return StreamingResponse(
        _stream(request, runtime, hub, viewer, principal.session_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _stream(
    request: Request, runtime: Runtime, hub: LiveHub, viewer: Viewer, session_id: object
) -> AsyncIterator[bytes]:
    cfg = runtime.settings.events
    ends = time.monotonic() + cfg.stream_max_seconds
    try:
        yield b": connected\n\n"
        while (left := ends - time.monotonic()) > 0:
            try:
                # Not wait_for: on 3.11 it can lose the cancellation of a client that left.
                async with asyncio.timeout(min(left, cfg.heartbeat_seconds)):
                    event = await viewer.queue.get()
            except TimeoutError:
                if not await _still_allowed(request, runtime, session_id):
                    return
                yield b": heartbeat\n\n"
                continue
            if event is None:
                return  # fell too far behind; the client reconnects and replays
            if event.type == "session.revoked" and not await _still_allowed(
                request, runtime, session_id
            ):
                return
            if event.type == "access.changed" and not await _reread_access(
                request, runtime, viewer, session_id
            ):
                return
            yield event.sse
    finally:
        hub.remove(viewer)


async def _reread_access(
    request: Request, runtime: Runtime, viewer: Viewer, session_id: object
) -> bool:
    """Take the caller's new role and libraries into account (False: no longer signed in)."""
    principal = await runtime.authenticator.authenticate(request)
    if principal is None or principal.session_id != session_id:
        return False
    async with runtime.db.transaction() as session:
        viewer.libraries = await allowed_library_ids(session, principal)
    viewer.is_admin = principal.role == "admin"
    return True


async def _still_allowed(request: Request, runtime: Runtime, session_id: object) -> bool:
    """The stream's credentials still authenticate the same session."""
    principal = await runtime.authenticator.authenticate(request)
    return principal is not None and principal.session_id == session_id
