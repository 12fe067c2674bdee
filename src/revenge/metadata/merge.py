"""Merging what several sources say about one item, field by field.

Precedence per field: a field the user edited (locked) keeps its current value; otherwise
local sources (NFO, embedded tags) win over remote providers for every field they set, and
remote providers follow the configured order. A source "sets" a field when its value is not
None and not empty. Ids are merged id by id; artwork is the union of all sources, local first,
so a local poster leads while remote backdrops still fill what the NFO left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from revenge.metadata.types import MERGE_FIELDS, Artwork, ExternalIds, ItemKind, ItemMetadata

USER = "user"


@dataclass(frozen=True)
class SourcedMetadata:
    """One source's answer; `local` sources come before every remote one."""

    source: str
    metadata: ItemMetadata
    local: bool = False


@dataclass(frozen=True)
class MergeResult:
    metadata: ItemMetadata
    provenance: dict[str, str] = field(default_factory=dict)


def is_set(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str | tuple | list | dict):
        return len(value) > 0
    if isinstance(value, ExternalIds):
        return bool(value)
    return True


def _ordered(sources: list[SourcedMetadata]) -> list[SourcedMetadata]:
    return [s for s in sources if s.local] + [s for s in sources if not s.local]


def _merge_ids(sources: list[SourcedMetadata], current: ItemMetadata | None) -> ExternalIds:
    ids = ExternalIds()
    for s in sources:
        ids = ids.merged(s.metadata.ids)
    # Ids already stored (e.g. chosen by a person through identify) are never replaced.
    return current.ids.merged(ids) if current is not None else ids


def _merge_artwork(sources: list[SourcedMetadata]) -> tuple[Artwork, ...]:
    seen: set[str] = set()
    art: list[Artwork] = []
    for s in sources:
        for a in s.metadata.artwork:
            if a.url not in seen:
                seen.add(a.url)
                art.append(a)
    return tuple(art)


def merge(
    kind: ItemKind,
    sources: list[SourcedMetadata],
    *,
    locked: frozenset[str] = frozenset(),
    current: ItemMetadata | None = None,
) -> MergeResult:
    """One item's metadata from all sources, honouring locks and local-first precedence."""
    ordered = _ordered(sources)
    values: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    for name in MERGE_FIELDS:
        if name in locked and current is not None:
            values[name] = getattr(current, name)
            provenance[name] = USER
        elif name == "ids":
            values[name] = _merge_ids(ordered, current)
        elif name == "artwork":
            values[name] = _merge_artwork(ordered)
        else:
            for s in ordered:
                value = getattr(s.metadata, name)
                if is_set(value):
                    values[name] = value
                    provenance[name] = s.source
                    break
    return MergeResult(ItemMetadata(kind=kind, **values), provenance)
