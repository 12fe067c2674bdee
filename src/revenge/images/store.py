"""Files on disk: originals by content hash, resized variants cached next to them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from revenge.images.processing import EXTENSIONS

# Requested sizes snap up to this ladder, so one image has at most a few hundred variants
# on disk however many sizes clients ask for.
SIZE_LADDER = (
    64,
    96,
    128,
    160,
    240,
    320,
    360,
    480,
    640,
    720,
    960,
    1080,
    1280,
    1440,
    1920,
    2560,
    3840,
)


def snap_size(value: int | None, maximum: int) -> int | None:
    """The smallest ladder size >= value, capped at `maximum`."""
    if value is None:
        return None
    for step in SIZE_LADDER:
        if step >= value:
            return min(step, maximum)
    return maximum


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ImageStore:
    """`<data_dir>/images/originals/ab/<hash>.<ext>` and `.../variants/ab/<hash>_WxH.<fmt>`."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "images"

    def original_path(self, content_hash: str, fmt: str) -> Path:
        return self.root / "originals" / content_hash[:2] / f"{content_hash}.{EXTENSIONS[fmt]}"

    def variant_path(
        self, content_hash: str, width: int | None, height: int | None, fmt: str
    ) -> Path:
        name = f"{content_hash}_{width or 0}x{height or 0}.{EXTENSIONS[fmt]}"
        return self.root / "variants" / content_hash[:2] / name

    def save_original(self, content_hash: str, fmt: str, data: bytes) -> Path:
        """Store once: an identical image already on disk is left as it is."""
        path = self.original_path(content_hash, fmt)
        if not path.exists():
            _write_atomic(path, data)
        return path

    def save_variant(self, path: Path, data: bytes) -> None:
        _write_atomic(path, data)

    def remove(self, content_hash: str, fmt: str) -> None:
        """Delete an original and every cached variant of it."""
        self.original_path(content_hash, fmt).unlink(missing_ok=True)
        variants = self.root / "variants" / content_hash[:2]
        if variants.is_dir():
            for variant in variants.glob(f"{content_hash}_*"):
                variant.unlink(missing_ok=True)
