"""Root confinement: a path is usable only if, after resolving symlinks, it is inside a root."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def resolve_inside(path: str | os.PathLike[str], roots: Iterable[Path]) -> Path | None:
    """Resolve `path` (following every symlink) and return it if it lies inside one root."""
    try:
        real = Path(os.path.realpath(path, strict=True))
    except (OSError, RuntimeError):
        return None
    for root in roots:
        real_root = Path(os.path.realpath(root))
        if real == real_root or real.is_relative_to(real_root):
            return real
    return None
