"""Artwork, PlaybackInfo (a device profile -> the playback decision), and the stream routes.

Streams answer with a redirect to the native stream or HLS URL, signed for this caller and
file (`playback.signing`): players follow it, and the signed token then carries the caller
to every variant playlist and segment of the HLS ladder.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from revenge.api.files import stored_file_response
from revenge.catalog import video_service as video
from revenge.catalog.music import service as music
from revenge.compat.jellyfin.auth import token_of
from revenge.compat.jellyfin.common import Ctx, context, json_body, router
from revenge.compat.jellyfin.ids import parse
from revenge.compat.jellyfin.items import one
from revenge.compat.jellyfin.shapes import Dto, ticks
from revenge.errors import BadRequest, NotFound
from revenge.images import image_service
from revenge.images.processing import MIME_TYPES
from revenge.images.service import item_cover
from revenge.playback import service as playback
from revenge.playback.audio import AudioRequest, stream_item_audio
from revenge.playback.profiles import Capabilities, VideoCodecSupport
from revenge.playback.schemas import FileDecisionOut, PlaybackRequest
from revenge.playback.signing import caller_from_principal, file_scope, playback_ttl, signer
from revenge.streaming.service import Caller, visible_file

_IMAGE_KINDS = {
    "primary": ("poster", "cover", "thumb"), "backdrop": ("backdrop", "fanart"),
    "thumb": ("thumb", "backdrop"), "logo": ("logo",), "banner": ("banner",), "art": ("art",),
}  # fmt: skip
_SIZE_PARAMS = (("fillwidth", "fillheight"), ("maxwidth", "maxheight"), ("width", "height"))
PLAYABLE_AUDIO = ("track", "podcast_episode", "audiobook")


async def _artwork(ctx: Ctx, kind: str, item_id: uuid.UUID, image_type: str) -> Any:
    if kind == "track":
        found = await music.tracks(ctx.session, ctx.allowed, ctx.user_id, [item_id])
        kind, item_id = ("album", found[0].album_id) if found else (kind, item_id)
    linked = await video.images(ctx.session, kind, item_id)
    for wanted in _IMAGE_KINDS.get(image_type.lower(), ()):
        if wanted in linked:
            return linked[wanted]
    return await item_cover(ctx.session, kind, item_id) if image_type.lower() == "primary" else None


def _size(ctx: Ctx) -> tuple[int | None, int | None]:
    for w_name, h_name in _SIZE_PARAMS:
        w, h = ctx.q.integer(w_name, 0, 0, 10_000), ctx.q.integer(h_name, 0, 0, 10_000)
        if w or h:
            return w or None, h or None
    return None, None


@router.get("/Items/{item_id}/Images/{image_type}")
@router.get("/Items/{item_id}/Images/{image_type}/{index}")
async def image(item_id: str, image_type: str, request: Request, index: str = "0") -> Response:
    """The item's artwork of that type, scaled when a size is asked for."""
    async with context(request) as ctx:
        await one(ctx, item_id)  # visible, else 404
        key = parse(item_id)
        assert key is not None
        found = await _artwork(ctx, key[0], key[1], image_type[:20])
        if found is None or index not in ("0", ""):
            raise NotFound("No such image.")
        service = image_service(ctx.runtime)
        width, height = _size(ctx)
        stored: str | None
        if width is None and height is None:
            stored = service.store.original_key(found.content_hash, found.format)
            mime = found.format
        else:
            stored, mime = await service.variant(found, width, height, "jpeg"), "jpeg"
        headers = {"Cache-Control": "private, max-age=86400"}
        response = None
        if stored is not None:
            response = await stored_file_response(
                service.store.storage, stored, request, MIME_TYPES[mime], headers
            )
    if response is None:
        raise NotFound("No such image.")
    return response


def _split(value: Any) -> list[str]:
    return [v.strip().lower() for v in str(value or "").split(",") if v.strip()][:30]


def capabilities(profile: Any, max_bitrate: int | None) -> Capabilities:
    """A Jellyfin DeviceProfile as Revenge capabilities; no profile plays anything directly."""
    if not isinstance(profile, dict):
        return Capabilities(containers=["*"], video_codecs=[VideoCodecSupport(codec="*")],
                            audio_codecs=["*"], hls=True, max_bitrate=max_bitrate)  # fmt: skip
    fields = {k.lower(): v for k, v in profile.items()}
    containers, vcodecs, acodecs = set(), set(), set()
    for entry in fields.get("directplayprofiles") or []:
        if not isinstance(entry, dict):
            continue
        e = {k.lower(): v for k, v in entry.items()}
        containers.update(_split(e.get("container")) or ["*"])
        if str(e.get("type", "")).lower() == "video":
            vcodecs.update(_split(e.get("videocodec")) or ["*"])
        acodecs.update(_split(e.get("audiocodec")) or (["*"] if e.get("type") else []))
    hls = any(
        isinstance(t, dict) and str({k.lower(): v for k, v in t.items()}.get("protocol")) == "hls"
        for t in fields.get("transcodingprofiles") or []
    )
    rate = fields.get("maxstreamingbitrate")
    rate = max_bitrate or (int(rate) if isinstance(rate, int | float) else None)
    return Capabilities(
        containers=sorted(containers)[:30],
        audio_codecs=sorted(acodecs)[:30],
        hls=hls,
        video_codecs=[
            VideoCodecSupport(codec=c[:32], max_bit_depth=16) for c in sorted(vcodecs)[:30]
        ],
        max_bitrate=min(max(rate, 64_000), 400_000_000) if rate else None,
    )


def _streams(f: FileDecisionOut) -> list[Dto]:
    found: list[Dto] = []
    if f.video_codec:
        found.append({"Type": "Video", "Codec": f.video_codec, "Index": 0, "IsDefault": True})
    for t in f.audio_tracks:
        found.append(
            {
                "Type": "Audio",
                "Codec": t.codec,
                "Index": t.index,
                "Language": t.language,
                "Title": t.title,
                "Channels": t.channels,
                "IsDefault": t.is_default,
            }
        )
    for n, s in enumerate(f.subtitle_tracks):
        found.append(
            {
                "Type": "Subtitle",
                "Index": 1000 + n,
                "Codec": getattr(s, "format", None),
                "Language": getattr(s, "language", None),
                "IsExternal": False,
            }
        )
    return found


def _source(item_id: str, f: FileDecisionOut, token: str) -> Dto:
    direct = f.method == "direct"
    source: Dto = {
        "Id": f.file_id.hex, "Protocol": "File", "Type": "Default", "Container": f.container,
        "Name": f.version or "Default", "RunTimeTicks": ticks(f.duration_seconds),
        "SupportsDirectPlay": direct, "SupportsDirectStream": direct,
        "SupportsTranscoding": f.method in ("remux", "transcode") or direct,
        "IsRemote": False, "MediaStreams": _streams(f), "ETag": f.file_id.hex,
        "DefaultAudioStreamIndex": f.audio.index if f.audio else None,
    }  # fmt: skip
    if f.selected and not direct:
        if f.video_codec:
            source["TranscodingUrl"] = (
                f"/Videos/{item_id}/master.m3u8?MediaSourceId={f.file_id.hex}"
                f"&PlaySessionId={(f.playback_session_id or uuid.uuid4()).hex}&ApiKey={token}"
            )
            source.update(TranscodingSubProtocol="hls", TranscodingContainer="ts")
        else:
            source.update(TranscodingUrl=f.url, TranscodingSubProtocol="http")
    return source


async def decide(ctx: Ctx, item_id: str, body: dict[str, Any]) -> Dto:
    key = parse(item_id)
    if key is None or key[0] not in ("movie", "episode", *PLAYABLE_AUDIO):
        raise NotFound("Item not found.")
    rate = ctx.q.integer("MaxStreamingBitrate", 0, 0, 400_000_000) or None
    raw_source = str(ctx.q.get("MediaSourceId") or body.get("mediasourceid") or "")
    try:
        file_id = uuid.UUID(raw_source) if raw_source else None
    except ValueError:
        file_id = None
    audio = body.get("audiostreamindex") or ctx.q.integer("AudioStreamIndex", -1, -1, 1000)
    request = PlaybackRequest(
        capabilities=capabilities(body.get("deviceprofile"), rate), file_id=file_id,
        audio_stream=audio if isinstance(audio, int) and 0 <= audio <= 1000 else None,
        client_name="Jellyfin app",
    )  # fmt: skip
    try:
        out = await playback.decide_item(ctx.runtime, ctx.session, ctx.principal, key[1], request)
    except BadRequest:
        return {"MediaSources": [], "ErrorCode": "NoCompatibleStream"}
    token = token_of(ctx.request) or ""
    chosen = next((f for f in out.files if f.selected), None)
    return {
        "MediaSources": [_source(item_id, f, token) for f in out.files],
        "PlaySessionId": chosen.playback_session_id.hex
        if chosen and chosen.playback_session_id else uuid.uuid4().hex,
    }  # fmt: skip


@router.get("/Items/{item_id}/PlaybackInfo")
@router.post("/Items/{item_id}/PlaybackInfo")
async def playback_info(item_id: str, request: Request) -> Dto:
    """How this device plays the item: direct play, direct stream, or HLS transcoding."""
    body = await json_body(request)
    async with context(request) as ctx:
        return await decide(ctx, item_id, body)


async def media_sources(ctx: Ctx, item_id: str) -> list[Dto]:
    """The item's versions as Jellyfin media sources, for `Fields=MediaSources`."""
    key = parse(item_id)
    assert key is not None
    found = await video.files(ctx.session, [key[1]])
    return [
        {"Id": e["file"].id.hex, "Protocol": "File", "Container": e["file"].container,
         "RunTimeTicks": ticks(e["file"].duration_seconds), "SupportsDirectPlay": True,
         "SupportsDirectStream": True, "SupportsTranscoding": True, "MediaStreams": []}
        for e in found.get(key[1], []) if e["file"].extra_type is None
    ]  # fmt: skip


async def _file_of(ctx: Ctx, item_id: str) -> uuid.UUID:
    """The version to stream: `MediaSourceId` when it is one of the item's, else the first."""
    key = parse(item_id)
    if key is None:
        raise NotFound("Item not found.")
    entries = (await video.files(ctx.session, [key[1]])).get(key[1], [])
    ids = [e["file"].id for e in entries if e["file"].extra_type is None]
    wanted = (ctx.q.get("MediaSourceId") or "").replace("-", "").lower()
    chosen: uuid.UUID | None = next((i for i in ids if i.hex == wanted), ids[0] if ids else None)
    if chosen is None:
        raise NotFound("Item not found.")
    await visible_file(ctx.session, Caller(ctx.user_id, ctx.principal.is_admin), chosen)
    return chosen


def _signed(ctx: Ctx, file_id: uuid.UUID, path: str) -> RedirectResponse:
    token = signer(ctx.runtime).issue(ctx.principal, file_scope(file_id), playback_ttl(None))
    sep = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{sep}token={token}", status_code=307)


@router.get("/Videos/{item_id}/stream")
@router.get("/Videos/{item_id}/stream.{container}")
async def video_stream(item_id: str, request: Request) -> Response:
    """The file as it is (direct play / direct stream)."""
    async with context(request) as ctx:
        file_id = await _file_of(ctx, item_id)
        return _signed(ctx, file_id, f"/api/v1/stream/{file_id}")


_HLS_CAPS = Capabilities(
    containers=[], video_codecs=[VideoCodecSupport(codec="h264", max_level=52)],
    audio_codecs=["aac", "mp3"], max_audio_channels=6, hls=True,
)  # fmt: skip


@router.get("/Videos/{item_id}/master.m3u8")
async def video_master(item_id: str, request: Request) -> Response:
    """The HLS ladder of a playback session (the one PlaybackInfo opened, or a new one)."""
    async with context(request) as ctx:
        file_id = await _file_of(ctx, item_id)
        session_id = _uuid(ctx.q.get("PlaySessionId"))
        if session_id is None or not await _is_hls(ctx, file_id, session_id):
            key = parse(item_id)
            assert key is not None
            rate = ctx.q.integer("MaxStreamingBitrate", 0, 0, 400_000_000) or None
            caps = _HLS_CAPS.model_copy(update={"max_bitrate": rate})
            wanted = PlaybackRequest(capabilities=caps, file_id=file_id, client_name="Jellyfin app")
            out = await playback.decide_item(
                ctx.runtime, ctx.session, ctx.principal, key[1], wanted
            )
            chosen = next(f for f in out.files if f.selected)
            session_id = chosen.playback_session_id
        return _signed(ctx, file_id, f"/api/v1/playback/hls/{file_id}/{session_id}/master.m3u8")


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID((raw or "").strip()) if raw else None
    except ValueError:
        return None


async def _is_hls(ctx: Ctx, file_id: uuid.UUID, session_id: uuid.UUID) -> bool:
    try:
        await playback.hls_session(ctx.session, caller_from_principal(ctx.principal), file_id,
                                   session_id)  # fmt: skip
    except (NotFound, BadRequest):
        return False
    except Exception as exc:  # an ended session: open a new one
        if getattr(exc, "status", 500) < 500:
            return False
        raise
    return True


_AUDIO_FORMATS = {"mp3": "mp3", "aac": "aac", "m4a": "aac", "opus": "opus", "ogg": "opus",
                  "flac": "original", "webma": "opus"}  # fmt: skip


@router.get("/Audio/{item_id}/universal")
@router.get("/Audio/{item_id}/stream")
@router.get("/Audio/{item_id}/stream.{container}")
async def audio_universal(item_id: str, request: Request) -> Response:
    """A track, episode or audiobook: as it is, or converted to what the client asks."""
    async with context(request) as ctx:
        key = parse(item_id)
        if key is None or key[0] not in PLAYABLE_AUDIO:
            raise NotFound("Item not found.")
        codec = (ctx.q.get("AudioCodec") or ctx.q.get("TranscodingContainer") or "").lower()
        fmt = _AUDIO_FORMATS.get(codec.split(",")[0]) if codec else None
        rate = ctx.q.integer("MaxStreamingBitrate", 0, 0, 400_000_000) // 1000
        kbps = rate if 8 <= rate <= 320 else None
        if ctx.q.flag("static"):
            fmt, kbps = None, None
        principal = ctx.principal
    caller = caller_from_principal(principal)
    return await stream_item_audio(ctx.runtime, caller, key[1], AudioRequest.parse(fmt, kbps, None))
