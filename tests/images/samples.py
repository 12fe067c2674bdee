"""Image samples for tests: real encodings, a decompression bomb, SVG and impostors."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def encoded(
    fmt: str, size: tuple[int, int] = (100, 150), color: tuple[int, int, int] = (180, 40, 30)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 8000, height: int = 8000, *, header_only: bool = False) -> bytes:
    """A valid grayscale PNG of width x height zeros: ~64 MB of pixels in ~60 KB."""
    raw = zlib.compress(b"" if header_only else b"\x00" * ((width + 1) * height), 9)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", raw) + _chunk(b"IEND", b"")
    )


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
NOT_AN_IMAGE = b"<html><body>This is a web page saved as poster.jpg</body></html>"
