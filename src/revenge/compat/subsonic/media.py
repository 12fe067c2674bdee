"""Bytes: stream (as is or converted), download, getCoverArt, and lyrics from tags."""

from __future__ import annotations

import asyncio
import os
import uuid
from typing import Any

import mutagen
from starlette.responses import Response

from revenge.api.files import stored_file_response
from revenge.catalog.audiobooks import service as audiobooks
from revenge.catalog.music import service as music
from revenge.catalog.podcasts import service as podcasts
from revenge.compat.subsonic import browsing
from revenge.compat.subsonic.protocol import Payload, not_found
from revenge.compat.subsonic.registry import Ctx, method
from revenge.images import image_service
from revenge.images.processing import MIME_TYPES
from revenge.images.service import item_cover
from revenge.playback.audio import FORMATS, AudioRequest, stream_item_audio
from revenge.playback.signing import caller_from_principal
from revenge.streaming.service import Caller, open_file, visible_file

PLAYABLE = ("track", "podcast_episode", "audiobook")
# Subsonic names for "the file as it is", and for the formats the converter makes.
_FORMAT_NAMES = {"raw": "original", "original": "original", "ogg": "opus", "m4a": "aac"}


def _format(raw: str | None) -> str | None:
    if not raw:
        return None
    name = _FORMAT_NAMES.get(raw.lower(), raw.lower())
    return name if name in FORMATS else None  # an unknown format: the server decides


async def _audio(ctx: Ctx, request: AudioRequest) -> Response:
    _, item_id = ctx.params.item("id", *PLAYABLE)
    caller = caller_from_principal(ctx.principal)
    return await stream_item_audio(ctx.runtime, caller, item_id, request)


@method("stream", transaction=False)
async def stream(ctx: Ctx) -> Response:
    p = ctx.params
    kbps = p.integer("maxBitRate", 0, 0, 10_000) or None
    offset = float(p.integer("timeOffset", 0, 0, 7 * 24 * 3600)) or None
    fmt = _format(p.get("format"))
    if kbps is not None and kbps < 8:
        kbps = 8  # below what any codec carries: the lowest the converter makes
    return await _audio(ctx, AudioRequest.parse(fmt, kbps, offset))


@method("download", transaction=False)
async def download(ctx: Ctx) -> Response:
    return await _audio(ctx, AudioRequest("original"))


async def _cover_owner(ctx: Ctx, kind: str, item_id: uuid.UUID) -> tuple[str, uuid.UUID]:
    """The item whose artwork stands for this id (a track shows its album's)."""
    if kind == "track":
        found = await music.tracks(ctx.session, ctx.allowed, ctx.user_id, [item_id])
        if not found:
            raise not_found("Cover art")
        return "album", found[0].album_id
    if kind == "album":
        rows = await music.albums(ctx.session, ctx.user_id, [item_id])
        if not rows or (ctx.allowed is not None and rows[0].library_id not in ctx.allowed):
            raise not_found("Cover art")
    elif not await _visible(ctx, kind, item_id):
        raise not_found("Cover art")
    return kind, item_id


async def _visible(ctx: Ctx, kind: str, item_id: uuid.UUID) -> bool:
    if kind == "artist":
        return bool(await music.artists(ctx.session, ctx.allowed, ctx.user_id, [item_id]))
    if kind == "podcast":
        return bool(await podcasts.shows_with_episodes(ctx.session, ctx.allowed, item_id, False))
    if kind == "audiobook":
        return bool(await audiobooks.by_ids(ctx.session, ctx.allowed, [item_id]))
    return False


@method("getCoverArt")
async def get_cover_art(ctx: Ctx) -> Response:
    kind, item_id = ctx.params.item("id")
    owner_kind, owner_id = await _cover_owner(ctx, kind, item_id)
    image = await item_cover(ctx.session, owner_kind, owner_id)
    if image is None:
        raise not_found("Cover art")
    service = image_service(ctx.runtime)
    size = ctx.params.integer("size", 0, 0, 10_000) or None
    key: str | None
    if size is None:
        key = service.store.original_key(image.content_hash, image.format)
        mime = MIME_TYPES[image.format]
    else:
        key = await service.variant(image, size, size, "jpeg")
        mime = MIME_TYPES["jpeg"]
    headers = {"Cache-Control": "private, max-age=86400"}
    response = None
    if key is not None:
        response = await stored_file_response(
            service.store.storage, key, ctx.request, mime, headers
        )
    if response is None:
        raise not_found("Cover art")
    return response


def _lyrics_of(fd: int) -> str | None:
    with os.fdopen(fd, "rb") as fh:
        try:
            audio: Any = mutagen.File(fh)
        except Exception:  # mutagen raises many kinds on damaged files: no lyrics then
            return None
    tags = getattr(audio, "tags", None)
    if tags is None:
        return None
    if hasattr(tags, "getall"):  # ID3: USLT, or a TXXX frame (as FFmpeg writes lyrics)
        for frame in tags.getall("USLT"):
            return str(frame.text)
        for frame in tags.getall("TXXX"):
            if frame.desc.lower() in ("lyrics", "unsyncedlyrics", "uslt") and frame.text:
                return str(frame.text[0])
        return None
    for key in ("lyrics", "unsyncedlyrics", "LYRICS", "\xa9lyr"):
        value = tags.get(key) if hasattr(tags, "get") else None
        if value:
            return str(value[0] if isinstance(value, list) else value)
    return None


@method("getLyricsBySongId")
async def get_lyrics_by_song_id(ctx: Ctx) -> Payload:
    song = await browsing.song(ctx)
    lyrics: list[Payload] = []
    if song.file_id is not None:
        caller = Caller(ctx.user_id, ctx.principal.role == "admin")
        file = await visible_file(ctx.session, caller, song.file_id)
        fd, _ = await open_file(file.path, file.roots, song.file_id)
        text = await asyncio.to_thread(_lyrics_of, fd)
        if text:
            lines = [{"value": line} for line in text.splitlines()]
            lyrics.append({"displayArtist": song.artist, "displayTitle": song.title,
                           "lang": "und", "synced": False, "line": lines})  # fmt: skip
    return {"lyricsList": {"structuredLyrics": lyrics}}
