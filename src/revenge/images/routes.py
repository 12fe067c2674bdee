"""Image API: originals and resized variants, with ETag, Cache-Control and 304."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from revenge.api.deps import DbSession, RuntimeDep
from revenge.api.files import stored_file_response
from revenge.api.openapi import problem_responses
from revenge.errors import NotFound
from revenge.images import image_service
from revenge.images.processing import MIME_TYPES
from revenge.images.schemas import ImageInfo, ItemImageOut
from revenge.images.service import get_image as stored_image
from revenge.images.service import item_covers as service_item_covers
from revenge.streaming.media import media_access
from revenge.streaming.signing import MediaCaller

# The prefix sits on the router itself so route templates match the public route list.
router = APIRouter(prefix="/api/v1/images", tags=["images"])

# Content behind an image id never changes (ids point at content hashes), so clients may
# keep it for a year; "private" because every image request is authenticated.
CACHE_CONTROL = "private, max-age=31536000, immutable"
# Served bytes are always re-verified raster images; these headers keep a browser from ever
# treating them as active content.
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}
MAX_COVERS = 200
_UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# Comma-separated UUIDs, so the schema says what the route accepts.
_UUID_LIST = f"^({_UUID}(,{_UUID})*)?$"
Dimension = Annotated[int | None, Query(ge=1, le=10_000)]


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or etag in tags


@router.get("/covers")
async def item_covers(
    session: DbSession,
    # The pattern admits only UUIDs and the length at most MAX_COVERS of them (36 characters
    # and a comma each): anything else is refused with 422 before this runs.
    items: Annotated[str, Query(max_length=MAX_COVERS * 37, pattern=_UUID_LIST)] = "",
) -> dict[str, ItemImageOut]:
    """The cover of each listed item (comma-separated ids), for a page of posters at once:
    its image id and blurhash, keyed by item id; items without artwork are left out."""
    ids = [uuid.UUID(part) for part in items.split(",") if part]
    found = await service_item_covers(session, ids) if ids else {}
    return {
        str(item_id): ItemImageOut(
            id=image.id, kind=kind, blurhash=image.blurhash,
            dominant_color=image.dominant_color, width=image.width, height=image.height,
        )
        for item_id, (kind, image) in found.items()
    }  # fmt: skip


@router.get("/{image_id}/info", response_model=ImageInfo)
async def image_info(image_id: uuid.UUID, session: DbSession) -> ImageInfo:
    """Size, blurhash and dominant colour, for placeholders before the image loads."""
    return ImageInfo.model_validate(await stored_image(session, image_id), from_attributes=True)


_BINARY = {"schema": {"type": "string", "format": "binary"}}
_ETAG = {"ETag": {"description": "The content version.", "schema": {"type": "string"}}}
IMAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The image bytes.",
        "content": {mime: _BINARY for mime in dict.fromkeys(MIME_TYPES.values())},
        "headers": _ETAG,
    },
    304: {"description": "Unchanged since the ETag in `If-None-Match`.", "headers": _ETAG},
    **problem_responses({401: "Neither credentials nor a valid signed image URL were sent."}),
}


@router.get("/{image_id}", response_model=None, response_class=Response, responses=IMAGE_RESPONSES)
async def get_image(
    image_id: uuid.UUID,
    request: Request,
    runtime: RuntimeDep,
    session: DbSession,
    width: Dimension = None,
    height: Dimension = None,
    format: Literal["webp", "jpeg"] | None = None,
    _caller: MediaCaller = Depends(media_access("image", "image_id")),
) -> Response:
    """The original, or a variant fitting in width x height as WebP or JPEG.

    Headers carry credentials, or `token` a signed image URL (for `<img>` elements)."""
    image = await stored_image(session, image_id)
    service = image_service(runtime)
    if width is None and height is None and format is None:
        etag = f'"{image.content_hash}"'
        key: str | None = service.store.original_key(image.content_hash, image.format)
        media_type = MIME_TYPES[image.format]
    else:
        fmt = format or "webp"
        w, h = service.variant_box(width, height)
        etag = f'"{image.content_hash}-{w}x{h}.{fmt}"'
        media_type = MIME_TYPES[fmt]
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, **SAFE_HEADERS}
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    if width is not None or height is not None or format is not None:
        key = await service.variant(image, width, height, format or "webp")
    response = None
    if key is not None:
        response = await stored_file_response(
            service.store.storage, key, request, media_type, headers
        )
    if response is None:
        raise NotFound("The image file is missing from the data directory.")
    return response
