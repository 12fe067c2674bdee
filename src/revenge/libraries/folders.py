"""Validation of library folders: every refusal names its reason (a 400 for the caller)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from revenge.errors import BadRequest

# Never a library: the root and the operating system's own folders (and anything inside
# the pseudo and configuration file systems).
SYSTEM_FOLDERS = frozenset(
    {"/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/proc", "/run",
     "/sbin", "/sys", "/usr", "/var", "/tmp", "/opt", "/srv", "/home", "/root", "/mnt", "/media"}
)  # fmt: skip
SYSTEM_TREES = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/run", "/sbin",
                "/sys", "/usr/bin", "/usr/lib", "/usr/sbin", "/root", "/var/lib", "/var/log",
                "/var/cache", "/var/spool", "/var/mail", "/var/backups")  # fmt: skip
HOMES = Path("/home")


def _inside(path: Path, other: Path) -> bool:
    return path == other or path.is_relative_to(other)


def _other_users_home(real: Path) -> Path | None:
    """The home folder (`/home/<name>`) holding `real` when another account owns it."""
    if not real.is_relative_to(HOMES) or real == HOMES:
        return None
    home = HOMES / real.relative_to(HOMES).parts[0]
    try:
        return home if home.stat().st_uid != os.getuid() else None
    except OSError:
        return None


def check_folder(raw: str, data_dir: Path, forbidden: Iterable[str] = ()) -> str:
    """The folder's resolved absolute path, or BadRequest naming why it cannot be used.

    `forbidden`: further trees never to serve, e.g. the database server's data directory.
    """
    text = raw.strip()
    if not text or "\x00" in text:
        raise BadRequest("A library folder path is empty.")
    if ".." in Path(text).parts:
        raise BadRequest(f"Folder {text!r} must not contain '..'.")
    if not os.path.isabs(text):
        raise BadRequest(f"Folder {text!r} must be an absolute path.")
    if not os.path.exists(text):
        raise BadRequest(f"Folder {text!r} does not exist.")
    if not os.path.isdir(text):
        raise BadRequest(f"{text!r} is not a folder.")
    if not os.access(text, os.R_OK | os.X_OK):
        raise BadRequest(f"Folder {text!r} is not readable by the server.")
    real = Path(os.path.realpath(text))
    for tree in forbidden:
        if _inside(real, Path(os.path.realpath(tree))):
            raise BadRequest(f"Folder {text!r} is inside the database's data directory.")
    if _other_users_home(real) is not None:
        raise BadRequest(f"Folder {text!r} is inside another user's home folder.")
    if str(real) in SYSTEM_FOLDERS or any(_inside(real, Path(t)) for t in SYSTEM_TREES):
        raise BadRequest(f"Folder {text!r} is a system folder.")
    data = Path(os.path.realpath(data_dir))
    if _inside(data, real) or _inside(real, data):
        raise BadRequest(f"Folder {text!r} is or contains the server's data directory.")
    return str(real)


def check_folders(
    raw: list[str], data_dir: Path, others: dict[str, str], forbidden: Iterable[str] = ()
) -> list[str]:
    """Check every folder, and that none overlaps another (or another library's: `others`
    maps each other library folder to its library name)."""
    folders = [check_folder(p, data_dir, forbidden) for p in raw]
    for i, folder in enumerate(folders):
        for other in folders[i + 1 :]:
            if _inside(Path(folder), Path(other)) or _inside(Path(other), Path(folder)):
                raise BadRequest(f"Folders {folder!r} and {other!r} overlap.")
        for other, name in others.items():
            if _inside(Path(folder), Path(other)) or _inside(Path(other), Path(folder)):
                raise BadRequest(f"Folder {folder!r} overlaps {other!r} of library {name!r}.")
    return folders
