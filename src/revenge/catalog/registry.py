"""Library type -> the content module that catalogues its files."""

from __future__ import annotations

from revenge.catalog.audiobooks.cataloguer import AudiobooksCataloguer
from revenge.catalog.movies.cataloguer import MoviesCataloguer
from revenge.catalog.music.cataloguer import MusicCataloguer
from revenge.catalog.podcasts.cataloguer import PodcastsCataloguer
from revenge.catalog.tv.cataloguer import TvCataloguer
from revenge.catalog.types import Cataloguer

CATALOGUERS: dict[str, Cataloguer] = {
    "movie": MoviesCataloguer(),
    "tv": TvCataloguer(),
    "music": MusicCataloguer(),
    "audiobook": AudiobooksCataloguer(),
    "podcast": PodcastsCataloguer(),
}


def cataloguer_for(library_type: str) -> Cataloguer:
    return CATALOGUERS[library_type]
