"""`/api/v1/stream`: original files with HTTP Range, signed media URLs, sidecar subtitles.

The two GET routes that take a `token` query parameter are on the public route list: they
authenticate themselves (a session/key, or a signed media token for that very file, see
`streaming.signing`).
"""

from __future__ import annotations

import os
import time
import uuid
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from revenge.api.deps import CurrentUser, RuntimeDep, optional_principal
from revenge.api.openapi import problem_responses
from revenge.identity import Principal
from revenge.infra.expiring import Expiring
from revenge.streaming import service
from revenge.streaming.files import SUBTITLE_EXTENSIONS, media_type
from revenge.streaming.open_files import kept_open
from revenge.streaming.response import OpenFileResponse
from revenge.streaming.schemas import StreamTokenOut, SubtitleOut
from revenge.streaming.service import Caller, StreamFile
from revenge.streaming.signing import file_scope, playback_ttl, resolve_caller, signer

if TYPE_CHECKING:
    from revenge.runtime import Runtime

# The prefix sits on the router itself so route templates match the public route list.
# A revoked grant or a deleted file row stops being served at most this long after the change.
# The file itself is checked on every request: confined to its roots when it is opened, and
# kept open only while the path still leads to it unchanged (`open_files`).
GRANT_SECONDS = 5.0
router = APIRouter(prefix="/api/v1/stream", tags=["streaming"])

_BINARY = {"schema": {"type": "string", "format": "binary"}}
_HEADERS = {
    "ETag": {"description": "The file's version.", "schema": {"type": "string"}},
    "Accept-Ranges": {"description": "Always `bytes`.", "schema": {"type": "string"}},
}


GONE = problem_responses({410: "The file is missing from its library folder."})


def _file_responses(media: tuple[str, ...]) -> dict[int | str, dict[str, Any]]:
    """The answers of a file download: whole, one range, unchanged, range outside the file."""
    content = {m: _BINARY for m in media}
    return {
        200: {"description": "The whole file.", "content": content, "headers": _HEADERS},
        206: {"description": "The requested byte range.", "content": content, "headers": _HEADERS},
        304: {"description": "Unchanged since the ETag in `If-None-Match`."},
        416: {"description": "The range lies outside the file; see `Content-Range`."},
        **problem_responses({401: "Neither credentials nor a valid stream token were sent."}),
        **GONE,
    }


MEDIA_RESPONSES = _file_responses(("video/*", "audio/*", "application/octet-stream"))
SUBTITLE_RESPONSES = _file_responses(
    tuple(dict.fromkeys(media_type("x" + ext) for ext in sorted(SUBTITLE_EXTENSIONS)))
)
MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]
TokenParam = Annotated[
    str | None, Query(max_length=200, description="A signed media token (from a media URL).")
]


def recent_grants(runtime: Runtime) -> Expiring[tuple[object, ...], tuple[Caller, StreamFile]]:
    """Who was just allowed which file: players send bursts of range requests for one file."""
    grants = runtime.stream_grants
    if grants is None:
        grants = runtime.stream_grants = Expiring(4096, GRANT_SECONDS)
    return grants


def grant_key(
    principal: Principal | None, token: str | None, file_id: uuid.UUID
) -> tuple[object, ...]:
    """Where `recent_grants` keeps the caller's grant for the file."""
    return (principal.user_id if principal else token, principal is None, file_id)


async def _caller(
    runtime: Runtime, principal: Principal | None, token: str | None, file_id: uuid.UUID
) -> tuple[Caller, StreamFile]:
    key = grant_key(principal, token, file_id)
    grants = recent_grants(runtime)
    if (hit := grants.get(key)) is not None:
        return hit
    media = await resolve_caller(runtime, principal, token, file_scope(file_id))
    caller = Caller(media.user_id, media.is_admin)
    # A short transaction of its own: no connection is held while the file is sent.
    async with runtime.db.transaction() as session:
        found = await service.visible_file(session, caller, file_id)
    grants[key] = (caller, found)
    return caller, found


@router.get("/{file_id}", response_class=Response, responses=MEDIA_RESPONSES)
@router.head("/{file_id}", response_class=Response, include_in_schema=False)
async def stream_file(
    file_id: uuid.UUID, runtime: RuntimeDep, principal: MaybePrincipal, token: TokenParam = None
) -> Response:
    """The original file; honours Range (one range), If-Range and If-None-Match."""
    _, found = await _caller(runtime, principal, token, file_id)
    fd, st = service.open_to_send(kept_open(runtime), found.path, found.roots, file_id)
    name = os.path.basename(found.path)
    return OpenFileResponse(fd, st, media_type(name), name)


@router.post("/{file_id}/token", responses=GONE)
async def issue_token(file_id: uuid.UUID, user: CurrentUser, runtime: RuntimeDep) -> StreamTokenOut:
    """A signed URL that lets a player without headers stream this one file.

    It lives for PLAYBACK_MARGIN_SECONDS and dies with the session (or key) that asked for it;
    `POST /api/v1/items/{id}/playback` hands out URLs sized to the item's running time.
    """
    await _caller(runtime, user, None, file_id)
    ttl = playback_ttl(None)
    token = signer(runtime).issue(user, file_scope(file_id), ttl)
    expires = int(time.time()) + ttl
    return StreamTokenOut(
        token=token, expires_at=expires, url=f"/api/v1/stream/{file_id}?token={token}"
    )


@router.get("/{file_id}/subtitles", responses=GONE)
async def list_subtitles(
    file_id: uuid.UUID, user: CurrentUser, runtime: RuntimeDep
) -> list[SubtitleOut]:
    """Subtitle files next to a video (same name, e.g. `Movie.en.forced.srt`)."""
    _, found = await _caller(runtime, user, None, file_id)
    base = f"/api/v1/stream/{file_id}/subtitles/"
    return [
        SubtitleOut(**{k: getattr(s, k) for k in ("name", "format", "language", "forced", "sdh")},
                    url=base + s.name)
        for s in await service.subtitles(found)
    ]  # fmt: skip


@router.get("/{file_id}/subtitles/{name}", response_class=Response, responses=SUBTITLE_RESPONSES)
@router.head("/{file_id}/subtitles/{name}", response_class=Response, include_in_schema=False)
async def stream_subtitle(
    file_id: uuid.UUID,
    name: Annotated[str, Path(max_length=255)],
    runtime: RuntimeDep,
    principal: MaybePrincipal,
    token: TokenParam = None,
) -> Response:
    """One subtitle file of a video; a signed URL of the video works here too."""
    _, found = await _caller(runtime, principal, token, file_id)
    path = await service.subtitle_path(found, name)
    fd, st = await service.open_file(path, found.roots, file_id)
    return OpenFileResponse(fd, st, media_type(name), name)
