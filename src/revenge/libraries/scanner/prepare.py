"""The blocking part of a scan (run in a thread): fingerprints and audio tags."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Any

from revenge.libraries.naming.display import nfc
from revenge.libraries.scanner.audio import AudioFacts, read_audio
from revenge.libraries.scanner.fingerprint import fingerprint
from revenge.libraries.scanner.walk import FoundFile


@dataclass(slots=True)
class Prepared:
    """A new or changed file with everything read from it."""

    file_id: uuid.UUID
    found: FoundFile
    fingerprint: str
    parts: tuple[str, ...]
    facts: AudioFacts | None
    failure: str | None


def fingerprint_many(files: list[FoundFile]) -> list[tuple[FoundFile, str, str | None]]:
    """(file, fingerprint, failure) for each file; an unreadable file has an empty print."""
    out: list[tuple[FoundFile, str, str | None]] = []
    for f in files:
        try:
            out.append((f, fingerprint(f.path, f.size), None))
        except OSError as exc:
            out.append((f, "", f"unreadable: {exc.strerror or exc}"))
    return out


def relative_parts(path: str, roots: list[str]) -> tuple[str, ...]:
    """The path below the (longest) library root holding it, split into names.

    The names are NFC (macOS writes accents decomposed); the path itself is kept as it is
    on disk, since that is what opens the file.
    """
    best = max((r for r in roots if path.startswith(r.rstrip(os.sep) + os.sep)), key=len)
    return tuple(nfc(path[len(best.rstrip(os.sep)) + 1 :]).split(os.sep))


def prepare(
    batch: list[tuple[uuid.UUID, FoundFile, str | None, str | None]],
    roots: list[str],
    media_kind: str,
) -> list[Prepared]:
    """Read each file of a batch: (id, file, fingerprint if known, failure so far)."""
    out: list[Prepared] = []
    for file_id, found, known_fp, failure in batch:
        if known_fp is None:
            _, fp, failure = fingerprint_many([found])[0]
        else:
            fp = known_fp
        facts = None
        if failure is None and media_kind == "audio":
            facts = read_audio(found.path, found.size)
            failure = facts.failure
        elif failure is None and found.size == 0:
            failure = "empty file"
        out.append(Prepared(file_id, found, fp, relative_parts(found.path, roots), facts, failure))
    return out


def file_row(p: Prepared, library_id: uuid.UUID, media_kind: str, place: Any) -> list[Any]:
    """One media_files row in FILE_COLUMNS order."""
    facts = p.facts
    tags: dict[str, Any] | None = None
    if facts is not None and (facts.tags or facts.chapters):
        tags = {**facts.tags, **({"chapters": facts.chapters} if facts.chapters else {})}
    analysis = "failed" if p.failure else ("ok" if media_kind == "audio" else "pending")
    return [
        p.file_id, library_id, p.found.path, os.path.dirname(p.found.path), media_kind,
        p.found.size, p.found.mtime_ns, p.found.inode, p.found.device, p.fingerprint,
        place.item_kind, place.item_id, place.extra_type, place.part, place.version,
        analysis, p.failure, facts.container if facts else None,
        facts.duration if facts else None, facts.bit_rate if facts else None, tags,
        facts.has_art if facts else False,
    ]  # fmt: skip
