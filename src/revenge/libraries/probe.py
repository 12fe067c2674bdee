"""Video probing with PyAV, in a child process so a hung or crashing probe can be killed.

The child (`python -m revenge.libraries.probe`) reads one JSON path per line on stdin and
answers one JSON line per path; paths never travel as command-line arguments, so a file
named "-i" or "--help" is just a file name. The parent enforces a timeout per file: past it
the child is killed, the file is marked failed, and a fresh child takes the next file.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from typing import Any

_HDR_TRANSFERS = {"smpte2084", "arib-std-b67"}
_TRANSFER_NAMES = {16: "smpte2084", 18: "arib-std-b67"}


def _transfer(ctx: Any) -> str:
    value = getattr(ctx, "color_trc", None)
    if value is None:
        return ""
    name = getattr(value, "name", None)
    if isinstance(name, str):
        return name.lower().replace("_", "-")
    return _TRANSFER_NAMES.get(int(value), "")


def _bit_depth(pixel_format: str | None) -> int | None:
    """Bits per colour component from the pixel format name (yuv420p10le -> 10)."""
    if not pixel_format:
        return None
    found = re.search(r"p0?(9|10|12|14|16)(le|be)?$", pixel_format)
    return int(found.group(1)) if found else 8


def _codec_facts(stream: Any, ctx: Any) -> dict[str, Any]:
    """What a playback decision needs beyond the codec name: profile, level, bit rate."""
    level = getattr(ctx, "level", None)
    return {
        "profile": getattr(ctx, "profile", None) or None,
        "level": level if isinstance(level, int) and level > 0 else None,
        "bit_rate": stream.bit_rate or getattr(ctx, "bit_rate", None) or None,
    }


def _stream(stream: Any) -> dict[str, Any]:
    ctx = stream.codec_context
    kind = stream.type if stream.type in ("video", "audio", "subtitle") else "other"
    disposition = int(getattr(stream, "disposition", 0) or 0)
    out: dict[str, Any] = {
        "index": stream.index,
        "kind": kind,
        "codec": getattr(ctx, "name", None),
        "language": stream.metadata.get("language"),
        "title": stream.metadata.get("title"),
        "is_default": bool(disposition & 0x1),
        "is_forced": bool(disposition & 0x40),
        **(_codec_facts(stream, ctx) if kind in ("video", "audio") else {}),
    }
    if kind == "video":
        rate = stream.average_rate
        pixel_format = ctx.format.name if ctx.format is not None else None
        out.update(
            pixel_format=pixel_format,
            bit_depth=_bit_depth(pixel_format),
            width=ctx.width or None,
            height=ctx.height or None,
            frame_rate=float(rate) if rate else None,
            hdr=_transfer(ctx) in _HDR_TRANSFERS,
        )
    elif kind == "audio":
        layout = getattr(ctx, "layout", None)
        out.update(
            channels=getattr(layout, "nb_channels", None) or getattr(ctx, "channels", None),
            sample_rate=ctx.sample_rate or None,
        )
    return out


def probe_file(path: str) -> dict[str, Any]:
    """Container facts and streams; {"error": reason} when the file is not usable video."""
    import av

    try:
        with av.open(path, "r", timeout=10) as container:
            streams = [_stream(s) for s in container.streams]
            duration = container.duration / 1_000_000 if container.duration else None
            result = {
                "container": container.format.name,
                "duration": duration,
                "bit_rate": container.bit_rate or None,
                "streams": streams,
            }
    except Exception as exc:
        return {"error": f"not a playable media file: {exc}"}
    if not any(s["kind"] == "video" for s in streams):
        return {"error": "mislabeled: no video stream", **result}
    return result


def main() -> None:
    """Child loop: a JSON path per input line, a JSON result per output line."""
    for line in sys.stdin:
        path = json.loads(line)
        sys.stdout.write(json.dumps(probe_file(path)) + "\n")
        sys.stdout.flush()


class Prober:
    """Probes files one by one through a child process, with a timeout per file."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._proc: asyncio.subprocess.Process | None = None

    async def _child(self) -> asyncio.subprocess.Process:
        if self._proc is None or self._proc.returncode is not None:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "revenge.libraries.probe",
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
        return self._proc

    async def probe(self, path: str) -> dict[str, Any]:
        proc = await self._child()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write((json.dumps(path) + "\n").encode())
            await proc.stdin.drain()
            line = await asyncio.wait_for(proc.stdout.readline(), timeout=self.timeout)
        except TimeoutError:
            await self.close()
            return {"error": f"probe timed out after {self.timeout:g}s"}
        except (BrokenPipeError, ConnectionResetError):
            await self.close()
            return {"error": "probe crashed"}
        if not line:
            await self.close()
            return {"error": "probe crashed"}
        result: dict[str, Any] = json.loads(line)
        return result

    async def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.returncode is None:
            proc.kill()
            await proc.wait()


if __name__ == "__main__":
    main()
