"""Comparing what the walk found with what the database knows; recognising moves."""

from __future__ import annotations

import os
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from revenge.libraries.scanner.walk import FoundFile


@dataclass(slots=True)
class Known:
    """A media_files row as the scanner needs it."""

    id: uuid.UUID
    path: str
    size: int
    mtime_ns: int
    inode: int
    device: int
    fingerprint: str
    missing: bool


# A media_files row as loaded in bulk (plain tuples: 50,000 of them load in milliseconds):
# (id, path, size, mtime_ns, inode, device, fingerprint, missing).
KnownRow = tuple[uuid.UUID, str, int, int, int, int, str, bool]
MISSING = 7


@dataclass
class Diff:
    new: list[FoundFile] = field(default_factory=list)
    changed: list[tuple[Known, FoundFile]] = field(default_factory=list)
    restored: list[tuple[Known, FoundFile]] = field(default_factory=list)
    gone: list[Known] = field(default_factory=list)
    unchanged: int = 0


def compare(
    found: list[FoundFile],
    known: dict[str, KnownRow],
    in_scope: Callable[[str], bool],
    reread_all: bool,
) -> Diff:
    """Sort every file into new / changed / restored / unchanged, and list the gone ones."""
    diff = Diff()
    seen: set[str] = set()
    for f in found:
        seen.add(f.path)
        row = known.get(f.path)
        if row is None:
            diff.new.append(f)
        elif reread_all or row[2] != f.size or row[3] != f.mtime_ns or row[4] != f.inode:
            diff.changed.append((Known(*row), f))
        elif row[MISSING]:
            diff.restored.append((Known(*row), f))
        else:
            diff.unchanged += 1
    for path, row in known.items():
        if not row[MISSING] and path not in seen and in_scope(path):
            diff.gone.append(Known(*row))
    return diff


def match_moves(
    new: list[tuple[FoundFile, str]], candidates: list[Known]
) -> list[tuple[Known, FoundFile, str]]:
    """Pair new files with vanished ones of the same fingerprint: (old row, file, fp).

    Among several candidates the same inode wins, then the same file name; otherwise a pair
    is made only when the fingerprint is unique on both sides and the file is not empty
    (every empty file has the same fingerprint).
    """
    by_fp: dict[str, list[Known]] = defaultdict(list)
    for row in candidates:
        by_fp[row.fingerprint].append(row)
    new_count: dict[str, int] = defaultdict(int)
    for _, fp in new:
        new_count[fp] += 1
    moves: list[tuple[Known, FoundFile, str]] = []
    taken: set[uuid.UUID] = set()
    for f, fp in new:
        options = [r for r in by_fp.get(fp, ()) if r.id not in taken]
        chosen = _choose(f, options, unique=new_count[fp] == 1 and f.size > 0)
        if chosen is not None:
            taken.add(chosen.id)
            moves.append((chosen, f, fp))
    return moves


def _choose(f: FoundFile, options: list[Known], unique: bool) -> Known | None:
    for row in options:
        if (row.inode, row.device) == (f.inode, f.device):
            return row
    name = os.path.basename(f.path)
    for row in options:
        if os.path.basename(row.path) == name:
            return row
    return options[0] if unique and len(options) == 1 else None
