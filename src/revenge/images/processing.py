"""Image bytes -> verified facts, blurhash and resized variants; CPU-bound, run in threads.

Safety: the format is decided by magic bytes (never by extension or Content-Type), SVG and
anything unrecognised are refused, and the pixel count is read from the header and checked
before a single pixel is decoded. Pillow's own bomb guard (`MAX_IMAGE_PIXELS`) stays as a
second line. The blurhash is computed from a small thumbnail (JPEGs are decoded at reduced
scale with `draft`), which is what keeps it near 10 ms for a poster instead of ~500 ms.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Literal

import blurhash
from PIL import Image, ImageOps

from revenge.images.errors import ImageRefused

ImageFormat = Literal["jpeg", "png", "webp", "gif", "avif"]
VariantFormat = Literal["webp", "jpeg"]

DEFAULT_MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = DEFAULT_MAX_PIXELS
_PIL_FORMATS: dict[ImageFormat, str] = {
    "jpeg": "JPEG",
    "png": "PNG",
    "webp": "WEBP",
    "gif": "GIF",
    "avif": "AVIF",
}
MIME_TYPES: dict[str, str] = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "avif": "image/avif",
}
EXTENSIONS: dict[str, str] = {
    "jpeg": "jpg",
    "png": "png",
    "webp": "webp",
    "gif": "gif",
    "avif": "avif",
}
# 32 px is plenty for 4x3 components and keeps the encode well under a millisecond.
BLURHASH_BOX = 32
BLURHASH_COMPONENTS = (4, 3)
_AVIF_BRANDS = (b"avif", b"avis")


@dataclass(frozen=True)
class ImageFacts:
    content_hash: str
    format: ImageFormat
    width: int
    height: int
    size_bytes: int
    blurhash: str
    dominant_color: str


def sniff(data: bytes) -> ImageFormat:
    """The format from magic bytes; raises ImageRefused for SVG and non-images."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and (
        data[8:12] in _AVIF_BRANDS or any(b in data[16:64] for b in _AVIF_BRANDS)
    ):
        return "avif"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg" in head:
        raise ImageRefused("svg", "SVG images are never accepted (they can carry scripts)")
    raise ImageRefused("not_image", "the content is not a JPEG, PNG, WebP, GIF or AVIF image")


def _open(data: bytes, fmt: ImageFormat, max_pixels: int) -> Image.Image:
    """Open lazily (header only) and refuse oversized images before decoding."""
    try:
        with warnings.catch_warnings():
            # Our own check below gives the clearer message; Pillow's error stays for > 2x.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[fmt]])
    except Image.DecompressionBombError as exc:
        raise ImageRefused("too_many_pixels", str(exc)) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageRefused("corrupt", f"unreadable {fmt} image: {exc}") from None
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise ImageRefused(
            "too_many_pixels",
            f"{width}x{height} is {width * height:,} pixels, above the {max_pixels:,} limit",
        )
    return image


def _thumbnail(image: Image.Image, box: int) -> Image.Image:
    """A small RGB copy; JPEGs decode straight at reduced scale."""
    image.draft("RGB", (box, box))
    try:
        image.seek(0)
        image.load()
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageRefused("corrupt", f"image data cannot be decoded: {exc}") from None
    thumb = image.convert("RGBA") if image.mode in ("P", "LA", "PA") else image
    thumb = thumb.convert("RGB") if thumb.mode != "RGB" else thumb.copy()
    thumb.thumbnail((box, box), Image.Resampling.BILINEAR)
    return thumb


def dominant_color(thumb: Image.Image) -> str:
    """The most common colour of a small palette, as `#rrggbb`."""
    palette_image = thumb.quantize(colors=8, method=Image.Quantize.MEDIANCUT)
    counts = sorted(palette_image.getcolors() or [], reverse=True)
    palette = palette_image.getpalette() or []
    index = int(counts[0][1]) if counts else 0  # type: ignore[call-overload]
    r, g, b = palette[index * 3 : index * 3 + 3] or [0, 0, 0]
    return f"#{r:02x}{g:02x}{b:02x}"


def inspect_image(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> ImageFacts:
    """Verify an image and describe it; raises ImageRefused with a reason."""
    fmt = sniff(data)
    image = _open(data, fmt, max_pixels)
    with image:
        width, height = image.size
        thumb = _thumbnail(image, BLURHASH_BOX)
    return ImageFacts(
        content_hash=hashlib.sha256(data).hexdigest(),
        format=fmt,
        width=width,
        height=height,
        size_bytes=len(data),
        blurhash=blurhash.encode(thumb.copy(), *BLURHASH_COMPONENTS),
        dominant_color=dominant_color(thumb),
    )


def fit_box(size: tuple[int, int], width: int | None, height: int | None) -> tuple[int, int]:
    """The largest size with the image's aspect inside width x height, never enlarged."""
    w, h = size
    scale = min((width or w) / w, (height or h) / h, 1.0)
    return max(1, round(w * scale)), max(1, round(h * scale))


def render_variant(
    data: bytes,
    fmt: ImageFormat,
    width: int | None,
    height: int | None,
    out: VariantFormat,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> bytes:
    """Fit inside width x height (never enlarged), re-encoded as WebP or JPEG."""
    image = _open(data, fmt, max_pixels)
    with image:
        box = fit_box(image.size, width, height)
        # JPEG decodes straight at 1/2, 1/4 or 1/8 scale when the target is that small.
        image.draft("RGB", box)
        frame = ImageOps.exif_transpose(image) or image
        keep_alpha = out == "webp" and frame.mode in ("RGBA", "LA", "P", "PA")
        frame = frame.convert("RGBA" if keep_alpha else "RGB")
        frame.thumbnail(box, Image.Resampling.LANCZOS, reducing_gap=2.0)
        buffer = io.BytesIO()
        if out == "webp":
            frame.save(buffer, "WEBP", quality=80, method=2)
        else:
            frame.save(buffer, "JPEG", quality=85, optimize=False, progressive=True)
    return buffer.getvalue()
