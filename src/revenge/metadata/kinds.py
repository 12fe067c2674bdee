"""How providers describe one item kind: the content packages fill this in for their kinds.

The provider registry and the metadata service ask it instead of keeping their own list of
kinds: which library type's provider order applies, which provider protocol can answer, and
which of its calls search for and describe an item of the kind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from revenge.metadata.types import Candidate, ItemKind, ItemMetadata
from revenge.metadata.writer import ItemFacts

# (provider, facts, title, year, language) -> candidates
Search = Callable[[Any, ItemFacts, str, int | None, str], Awaitable[list[Candidate]]]
# (provider, facts, provider id, language) -> metadata
Details = Callable[[Any, ItemFacts, str, str], Awaitable[ItemMetadata]]


@dataclass(frozen=True, slots=True)
class ProviderKind:
    kind: ItemKind
    library_type: str
    capability: type
    search: Search
    details: Details
    # Looked up by its parent's ids (an episode through its series).
    lookup_as: ItemKind | None = None
