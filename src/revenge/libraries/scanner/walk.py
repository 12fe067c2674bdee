"""Walking library folders: one `scandir` pass, no per-file work beyond a `stat`.

Skipped while walking: hidden entries (names starting with "."), NAS/OS clutter folders,
folders holding a `.ignore` or `.revengeignore` file, and symlinks whose target lies
outside every folder of the library (so a link cannot pull `/etc` into a library).

Folder snapshot (incremental scans): every listed folder's mtime is returned, and a later
walk given that snapshot skips a folder whose mtime is unchanged without listing it or
stating its files (its known files are taken as they are; its known subfolders are still
visited). What the file system guarantees: a directory's mtime changes when an entry is
added to it, removed from it or renamed in or out of it (POSIX), so new, gone and renamed
files are always seen, at any depth. It does not change when a file's content is rewritten
in place (a tag editor saving into the same file): such a change inside an unchanged folder
is seen by the file watcher (it scans the changed folder whole), by a "full" scan (the
periodic one, `scanning.interval_hours`) and by any later change to the folder; most tools
that deliver media (downloaders, *arr, rsync, copies) write a new name and rename it, which
does change the folder's mtime. A folder is never trusted (listed every time) when it was
reached through a symlink or holds one (a link's target changes without its folder), or
when its mtime is within `RACY_NS` of the walk (a change in the same clock tick could keep
the same mtime). Network mounts (NFS, SMB/CIFS, FUSE, 9p) do not reliably keep or report
directory mtimes (client attribute caches, servers that do not update them), so a root on
one is always walked whole (see `mounts`).
"""

from __future__ import annotations

import gc
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from revenge.libraries.scanner.mounts import keeps_folder_mtimes

IGNORE_MARKERS = frozenset({".ignore", ".revengeignore"})
SKIPPED_FOLDERS = frozenset({"@eadir", "#recycle", "lost+found", "$recycle.bin", "#snapshot"})

VIDEO_EXTENSIONS = frozenset(
    {"mkv", "mp4", "m4v", "avi", "mov", "wmv", "ts", "m2ts", "mpg", "mpeg", "webm", "flv", "ogv",
     "iso", "vob", "3gp", "divx", "rmvb"}
)  # fmt: skip
AUDIO_EXTENSIONS = frozenset(
    {"mp3", "flac", "m4a", "m4b", "aac", "ogg", "oga", "opus", "wav", "aiff", "aif", "wma",
     "alac", "ape", "wv", "mka", "dsf", "mp2"}
)  # fmt: skip


@dataclass(slots=True)
class FoundFile:
    """A media file as seen on disk by the walk."""

    path: str
    size: int
    mtime_ns: int
    inode: int
    device: int


@dataclass
class WalkResult:
    """Every media file under the walked folders, and which roots could not be read."""

    files: list[FoundFile] = field(default_factory=list)
    unavailable_roots: list[str] = field(default_factory=list)
    per_root: dict[str, int] = field(default_factory=dict)
    skipped_links: int = 0
    # Every folder walked or skipped -> its mtime (None: list it again next time).
    folders: dict[str, int | None] = field(default_factory=dict)
    # Folders skipped because their mtime matched the snapshot: their known files stand.
    unchanged_folders: set[str] = field(default_factory=set)
    # The roots (or folders) walked: the parts of the snapshot this walk replaces.
    walked_tops: list[str] = field(default_factory=list)


# A folder whose mtime is this close to the walk is listed again next time (same-tick races).
RACY_NS = 2_000_000_000


def extension(name: str) -> str:
    """Lower-cased extension without the dot ("" when there is none)."""
    dot = name.rfind(".")
    return name[dot + 1 :].lower() if dot > 0 else ""


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r + os.sep) for r in roots)


def _root_usable(root: str) -> bool:
    """A root that is missing, unreadable or empty is treated as an unmounted disk."""
    try:
        with os.scandir(root) as it:
            return any(True for _ in it)
    except OSError:
        return False


class _Walker:
    def __init__(
        self, roots: list[str], extensions: frozenset[str], snapshot: dict[str, int | None]
    ) -> None:
        self.real_roots = [os.path.realpath(r) for r in roots]
        self.extensions = extensions
        self.seen_dirs: set[str] = set()
        self.result = WalkResult()
        self.snapshot = snapshot
        self.children: dict[str, list[str]] | None = None
        self.trusted_before = time.time_ns() - RACY_NS

    def _known_children(self, folder: str) -> list[str]:
        if self.children is None:
            self.children = {}
            for path in self.snapshot:
                bare = path.rstrip(os.sep)
                parent = os.path.dirname(bare)
                if parent != bare:  # "/" is nobody's child
                    self.children.setdefault(parent, []).append(path)
        # `dirname` never ends in a separator; a root given with one must still find its own.
        return self.children.get(folder.rstrip(os.sep) or os.sep, [])

    def walk_folder(self, top: str, trust: bool) -> int:
        """Walk `top` recursively; return how many media files were found.

        With `trust`, folders whose mtime matches the snapshot are skipped (module doc).
        """
        found = 0
        stack: list[tuple[str, bool]] = [(top, False)]
        files = self.result.files
        extensions = self.extensions
        folders = self.result.folders
        while stack:
            folder, via_link = stack.pop()
            if folder in folders:
                continue  # reached twice (a root given with a trailing separator, say)
            try:
                mtime: int | None = os.stat(folder).st_mtime_ns
                if trust and not via_link and mtime == self.snapshot.get(folder):
                    folders[folder] = mtime
                    self.result.unchanged_folders.add(folder)
                    stack.extend((child, False) for child in self._known_children(folder))
                    continue
                with os.scandir(folder) as it:
                    entries = list(it)
            except OSError:
                continue
            if (
                via_link
                or (mtime or 0) > self.trusted_before
                or any(e.is_symlink() for e in entries)
            ):
                mtime = None
            folders[folder] = mtime
            if any(e.name in IGNORE_MARKERS for e in entries):
                continue
            # The loop is inlined on purpose: it runs once per file of the library. The
            # file test comes first because most entries are files (d_type, no syscall).
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue
                try:
                    if entry.is_file(follow_symlinks=False):
                        dot = name.rfind(".")
                        if dot <= 0 or name[dot + 1 :].lower() not in extensions:
                            continue
                        st = entry.stat(follow_symlinks=False)
                        files.append(
                            FoundFile(entry.path, st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)
                        )
                        found += 1
                    elif entry.is_dir(follow_symlinks=False):
                        if name.lower() not in SKIPPED_FOLDERS:
                            stack.append((entry.path, False))
                    elif entry.is_symlink():
                        found += self._visit_link(entry, stack)
                except OSError:
                    continue
        return found

    def _visit_link(self, entry: os.DirEntry[str], stack: list[tuple[str, bool]]) -> int:
        real = os.path.realpath(entry.path)
        if not _inside(real, self.real_roots):
            self.result.skipped_links += 1
            return 0
        try:
            st = os.stat(real)
        except OSError:
            return 0
        if stat.S_ISDIR(st.st_mode):
            # A link to a folder inside the library is walked once (links can form loops).
            if real not in self.seen_dirs:
                self.seen_dirs.add(real)
                stack.append((entry.path, True))
            return 0
        if not stat.S_ISREG(st.st_mode) or extension(entry.name) not in self.extensions:
            return 0
        return self._add(entry.path, st)

    def _add(self, path: str, st: os.stat_result) -> int:
        if not stat.S_ISREG(st.st_mode):
            return 0
        self.result.files.append(FoundFile(path, st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev))
        return 1


def walk(
    roots: list[str],
    extensions: frozenset[str],
    folders: list[str] | None = None,
    snapshot: dict[str, int | None] | None = None,
) -> WalkResult:
    """Find media files under `roots` (or only under `folders`, each inside a root).

    Given a folder `snapshot` (path -> mtime from an earlier walk), unchanged folders on
    roots whose file system keeps directory mtimes are skipped (module doc).
    """
    with gc_paused():
        return _walk(roots, extensions, folders, snapshot)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building big lists of objects that are all kept.

    Nothing collectable is made meanwhile, and it spares repeated collections over a
    large heap (measured: up to a third of a 50,000-file walk or row load).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _walk(
    roots: list[str],
    extensions: frozenset[str],
    folders: list[str] | None,
    snapshot: dict[str, int | None] | None,
) -> WalkResult:
    walker = _Walker(roots, extensions, snapshot or {})
    result = walker.result
    for root in roots:
        if not _root_usable(root):
            result.unavailable_roots.append(root)
            continue
        tops = [root] if folders is None else [f for f in folders if within(f, root)]
        tops = [t for t in tops if not _skipped_between(root, t)]
        trust = snapshot is not None and keeps_folder_mtimes(root)
        count = 0
        for top in tops:
            skipped_before = len(result.unchanged_folders)
            count += walker.walk_folder(top, trust)
            # An unchanged folder is evidence the disk holds what it held (see `_scope`).
            count += len(result.unchanged_folders) - skipped_before
            result.walked_tops.append(top)
        result.per_root[root] = count
    return result


def _skipped_between(root: str, folder: str) -> bool:
    """Tell whether a folder below `root` sits in a hidden, clutter or ignored folder."""
    current = folder
    while current != root and within(current, root):
        name = os.path.basename(current)
        if name.startswith(".") or name.lower() in SKIPPED_FOLDERS:
            return True
        if any(os.path.exists(os.path.join(current, m)) for m in IGNORE_MARKERS):
            return True
        current = os.path.dirname(current)
    return False


def within(path: str, folder: str) -> bool:
    """Tell whether `path` is `folder` or lies below it (plain string test, no I/O)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
