"""Opening a catalogued file safely, its MIME type, and the subtitle files beside it."""

from __future__ import annotations

import mimetypes
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from revenge.infra.paths import resolve_inside

# Types the platform table often lacks or gets wrong for media.
_MIME = {
    ".mkv": "video/x-matroska", ".mk3d": "video/x-matroska", ".webm": "video/webm",
    ".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime",
    ".avi": "video/x-msvideo", ".ts": "video/mp2t", ".m2ts": "video/mp2t",
    ".wmv": "video/x-ms-wmv", ".mpg": "video/mpeg", ".mpeg": "video/mpeg",
    ".ogv": "video/ogg", ".flv": "video/x-flv",
    ".mp3": "audio/mpeg", ".flac": "audio/flac", ".m4a": "audio/mp4", ".m4b": "audio/mp4",
    ".aac": "audio/aac", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg",
    ".wav": "audio/wav", ".wma": "audio/x-ms-wma", ".mka": "audio/x-matroska",
    ".aiff": "audio/aiff", ".alac": "audio/mp4",
    ".srt": "application/x-subrip", ".vtt": "text/vtt", ".ass": "text/x-ssa",
    ".ssa": "text/x-ssa", ".sub": "text/plain", ".sup": "application/octet-stream",
    ".idx": "text/plain",
}  # fmt: skip
SUBTITLE_EXTENSIONS = frozenset({".srt", ".vtt", ".ass", ".ssa", ".sub", ".sup", ".idx"})


def media_type(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    return _MIME.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


# Linux resolves a path in the kernel with an O_PATH descriptor (which opens nothing) and
# names what it resolved to in /proc/self/fd; elsewhere the portable way below is used.
_KERNEL_RESOLVE = hasattr(os, "O_PATH") and os.path.isdir("/proc/self/fd")


def open_confined(path: str, roots: list[str]) -> tuple[int, os.stat_result] | None:
    """Open a regular file only if, with every symlink resolved, it lies inside a root."""
    if not _KERNEL_RESOLVE:
        return _open_confined_portable(path, roots)
    try:
        handle = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        real = _kernel_path(handle)
        st = os.fstat(handle)
        if real is None or not stat.S_ISREG(st.st_mode):
            return None
        if not any(_within(real, root) for root in map(_real_root, roots)):
            return None
        # Reopening the checked descriptor opens exactly the inode that was resolved and
        # checked (so `st` describes it): nothing can be swapped in between, and no path is
        # looked up again.
        return os.open(f"/proc/self/fd/{handle}", os.O_RDONLY | os.O_CLOEXEC), st
    except OSError:
        return None
    finally:
        os.close(handle)


def _kernel_path(handle: int) -> str | None:
    """Where an open descriptor lives, every symlink resolved; None once it is deleted."""
    real = os.readlink(f"/proc/self/fd/{handle}")
    return None if real.endswith(" (deleted)") or not real.startswith("/") else real


def _real_root(root: str) -> str | None:
    try:
        handle = os.open(root, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        return _kernel_path(handle)
    finally:
        os.close(handle)


def _within(real: str, root: str | None) -> bool:
    if root is None:
        return False
    return real == root or real.startswith(root if root.endswith("/") else root + "/")


def _open_confined_portable(path: str, roots: list[str]) -> tuple[int, os.stat_result] | None:
    real = resolve_inside(path, [Path(r) for r in roots])
    if real is None:
        return None
    try:
        # O_NONBLOCK: a FIFO swapped in must not hang the event loop (no effect on files).
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        # A directory component may have been swapped between resolving and opening:
        # check that what was opened is still what was resolved.
        again = os.stat(real, follow_symlinks=False)
        if stat.S_ISREG(st.st_mode) and (again.st_dev, again.st_ino) == (st.st_dev, st.st_ino):
            return fd, st
    except OSError:
        pass
    os.close(fd)
    return None


@dataclass(frozen=True, slots=True)
class Subtitle:
    name: str
    format: str
    language: str | None
    forced: bool
    sdh: bool


def _describe(name: str, stem: str) -> Subtitle:
    base, ext = os.path.splitext(name)
    tags = [t.lower() for t in re.split(r"[.\-_ ]+", base[len(stem) :]) if t]
    forced = "forced" in tags
    sdh = bool({"sdh", "cc", "hi"} & set(tags))
    rest = [t for t in tags if t not in {"forced", "sdh", "cc", "hi", "default"}]
    language = rest[0] if rest and 2 <= len(rest[0]) <= 8 and rest[0].isalpha() else None
    return Subtitle(name, ext[1:].lower(), language, forced, sdh)


def sidecar_subtitles(video_path: str) -> list[Subtitle]:
    """Subtitle files in the video's folder whose name starts with the video's name."""
    folder, video_name = os.path.split(video_path)
    stem = os.path.splitext(video_name)[0]
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = [
        _describe(n, stem)
        for n in names
        if os.path.splitext(n)[1].lower() in SUBTITLE_EXTENSIONS
        and (n[: len(stem) + 1] in (stem + ".", stem + "-", stem + "_") or n.startswith(stem + " "))
    ]
    return sorted(found, key=lambda s: s.name)
