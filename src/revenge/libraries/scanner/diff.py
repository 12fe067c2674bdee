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


# What an unchanged rescan needs of every row, as a plain tuple keyed by path (loading
# and comparing 50,000 of them must cost milliseconds): (size, mtime_ns, inode, missing).
KnownRow = tuple[int, int, int, bool]
MISSING = 3


@dataclass
class Diff:
    """Paths by fate; full rows (Known) are loaded afterwards for the few that need them."""

    new: list[FoundFile] = field(default_factory=list)
    changed: list[tuple[str, FoundFile]] = field(default_factory=list)
    restored: list[tuple[str, FoundFile]] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    unchanged: int = 0
    # Known files of folders the walk skipped as unchanged (never loaded, see `scan`).
    skipped: int = 0

    def paths_needing_rows(self) -> list[str]:
        return [p for p, _ in self.changed] + [p for p, _ in self.restored] + self.gone


def compare(
    found: list[FoundFile],
    known: dict[str, KnownRow],
    in_scope: Callable[[str], bool],
    reread_all: bool,
) -> Diff:
    """Sort every file into new / changed / restored / unchanged, and list the gone ones."""
    diff = Diff()
    for f in found:
        row = known.get(f.path)
        if row is None:
            diff.new.append(f)
        elif reread_all or row[0] != f.size or row[1] != f.mtime_ns or row[2] != f.inode:
            diff.changed.append((f.path, f))
        elif row[MISSING]:
            diff.restored.append((f.path, f))
        else:
            diff.unchanged += 1
    if len(found) - len(diff.new) < len(known):
        seen = {f.path for f in found}
        diff.gone = [
            path
            for path, row in known.items()
            if not row[MISSING] and path not in seen and in_scope(path)
        ]
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
