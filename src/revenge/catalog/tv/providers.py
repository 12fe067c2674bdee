"""How metadata providers search for and describe series and episodes.

An episode is never searched: it is looked up through its series' ids, and described by
its entry in the series' episode list.
"""

from __future__ import annotations

from dataclasses import replace

from revenge.metadata.errors import ProviderNotFound
from revenge.metadata.kinds import ProviderKind
from revenge.metadata.protocols import TvProvider
from revenge.metadata.types import Artwork, Candidate, EpisodeQuery, ItemMetadata
from revenge.metadata.writer import ItemFacts


async def _series_details(p: TvProvider, facts: ItemFacts, pid: str, lang: str) -> ItemMetadata:
    meta = await p.series_details(pid, lang)
    episodes = await p.episodes(EpisodeQuery(pid, order=facts.season_type, language=lang))
    return replace(meta, episodes=tuple(episodes))


async def _episode_details(
    provider: TvProvider, facts: ItemFacts, series_id: str, lang: str
) -> ItemMetadata:
    absolute = facts.season_type == "absolute"
    season = None if absolute else facts.season
    query = EpisodeQuery(series_id, season, facts.season_type, lang)
    for e in await provider.episodes(query):
        number = e.absolute_number if absolute else e.number
        if number == facts.episode and (season is None or e.season == season):
            return ItemMetadata(
                kind="episode",
                title=e.title,
                overview=e.overview,
                release_date=e.air_date,
                year=int(e.air_date[:4]) if e.air_date else None,
                season=e.season,
                episode=e.number,
                runtime_minutes=e.runtime_minutes,
                ids=e.ids,
                artwork=(Artwork("still", e.still_url),) if e.still_url else (),
            )
    raise ProviderNotFound(provider.name, f"no episode S{facts.season}E{facts.episode}")


async def _no_search(
    p: TvProvider, facts: ItemFacts, title: str, year: int | None, lang: str
) -> list[Candidate]:
    return []


SERIES = ProviderKind(
    "series", "tv", TvProvider,
    search=lambda p, facts, title, year, lang: p.search_series(title, year, lang),
    details=_series_details,
)  # fmt: skip
EPISODE = ProviderKind(
    "episode", "tv", TvProvider, search=_no_search, details=_episode_details, lookup_as="series"
)
