"""The content modules this server knows, in the order features list them.

Adding a kind is a new package under `catalog/` declaring its `MODULE` in `kind.py`, and its
line here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from revenge.catalog.audiobooks.kind import MODULE as AUDIOBOOKS
from revenge.catalog.kinds import KindRegistry
from revenge.catalog.movies.kind import MODULE as MOVIES
from revenge.catalog.music.kind import MODULE as MUSIC
from revenge.catalog.podcasts.kind import MODULE as PODCASTS
from revenge.catalog.tv.kind import MODULE as TV

if TYPE_CHECKING:
    from revenge.catalog.types import Cataloguer

KINDS = KindRegistry([MOVIES, TV, MUSIC, AUDIOBOOKS, PODCASTS])


def cataloguer_for(library_type: str) -> Cataloguer:
    return KINDS.cataloguer(library_type)
