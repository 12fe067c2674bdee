"""Which file systems keep directory mtimes well enough to skip unchanged folders.

Local file systems (ext4, xfs, btrfs, zfs, tmpfs, ...) update a directory's mtime on every
entry added, removed or renamed in it. Network and user-space file systems do not promise
it: NFS clients cache attributes for seconds to minutes, SMB/CIFS servers differ, and FUSE
file systems (sshfs, rclone, mergerfs over remote disks) report whatever their backend
gives. Roots on those are walked whole on every scan. When the mount table cannot be read
(not Linux), nothing is trusted either: a full walk is slower but never misses a file.
"""

from __future__ import annotations

import os
import re
import time
from functools import lru_cache

UNTRUSTED_TYPES = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre",
     "davfs", "fuse", "fuseblk", "virtiofs", "vboxsf", "vmhgfs", "ncpfs", "coda"}
)  # fmt: skip
MOUNTS = "/proc/self/mounts"
_OCTAL = re.compile(r"\\([0-7]{3})")


def keeps_folder_mtimes(path: str) -> bool:
    """Tell whether `path` sits on a local file system (see the module doc)."""
    fstype = _mount_type(os.path.realpath(path), _mounts())
    if fstype is None:
        return False
    return fstype not in UNTRUSTED_TYPES and not fstype.startswith("fuse.")


def _mount_type(real: str, mounts: tuple[tuple[str, str], ...]) -> str | None:
    best: tuple[int, str] | None = None
    for point, fstype in mounts:
        inside = real == point or real.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), fstype)
    return best[1] if best else None


@lru_cache(maxsize=1)
def _cached_mounts(_minute: int) -> tuple[tuple[str, str], ...]:
    try:
        with open(MOUNTS, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return ()
    mounts = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 3:
            # Spaces and tabs in mount points are written as octal escapes.
            point = _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), fields[1])
            mounts.append((point, fields[2]))
    return tuple(mounts)


def _mounts() -> tuple[tuple[str, str], ...]:
    """The mount table, read at most once a minute (disks are mounted while running)."""
    return _cached_mounts(int(time.monotonic() // 60))
