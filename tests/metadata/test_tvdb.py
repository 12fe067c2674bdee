"""TheTVDB v4 client: login token (renewed on 401), search, extended series, episode orders."""

from __future__ import annotations

import httpx
import pytest

from revenge.metadata.errors import ProviderAuthError, ProviderNotFound
from revenge.metadata.providers.tvdb import TvdbProvider
from revenge.metadata.types import EpisodeQuery, ExternalIds
from revenge.testing import StaticKeys
from revenge.testing.fake_api import FakeApi, Reply, Seen, fixture
from tests.metadata.conftest import provider_http

APIKEY = "tvdb-project-key"
TOKEN_ONE = fixture("tvdb/login")["data"]["token"]
TOKEN_TWO = fixture("tvdb/login_renewed")["data"]["token"]


def tvdb(api: FakeApi, client: httpx.AsyncClient) -> TvdbProvider:
    return TvdbProvider(provider_http(client, "tvdb", api.url), StaticKeys(tvdb=APIKEY))


def authorized(name: str, token: str = TOKEN_ONE):  # type: ignore[no-untyped-def]
    """Answer the fixture only to the expected bearer token, else 401 like TheTVDB."""

    def handler(seen: Seen) -> Reply:
        if seen.headers.get("authorization") != f"Bearer {token}":
            return Reply(401, fixture("tvdb/error_401"))
        return Reply(body=fixture(name))

    return handler


async def test_login_then_search(api: FakeApi, http_client: httpx.AsyncClient) -> None:
    api.json("/login", "tvdb/login", method="POST")
    api.on("GET", "/search", authorized("tvdb/search_breaking_bad"))
    provider = tvdb(api, http_client)
    found = await provider.search_series("Breaking Bad", 2008, "en-US")
    assert api.calls("/login")[0].json() == {"apikey": APIKEY}
    assert api.calls("/search")[0].query == {
        "query": "Breaking Bad",
        "type": "series",
        "year": "2008",
    }
    hit = found[0]
    assert (hit.provider_id, hit.title, hit.year) == ("81189", "Breaking Bad", 2008)
    assert hit.ids.as_dict() == {"tmdb": "1396", "imdb": "tt0903747", "tvdb": "81189"}
    await provider.search_series("Breaking Bad", 2007, None)
    assert provider.logins == 1  # the token is reused


async def test_series_extended(api: FakeApi, http_client: httpx.AsyncClient) -> None:
    api.json("/login", "tvdb/login", method="POST")
    api.on("GET", "/series/81189/extended", authorized("tvdb/series_81189_extended"))
    show = await tvdb(api, http_client).series_details("81189", "de-DE")
    assert api.calls("/series/81189/extended")[0].query == {"meta": "translations", "short": "true"}
    assert show.title == "Breaking Bad" and show.year == 2008
    assert show.overview and show.overview.startswith("Walter White, ein Chemielehrer")
    assert show.genres == ("Drama", "Crime", "Thriller") and show.studios == ("AMC",)
    assert show.ids.as_dict() == {"tmdb": "1396", "imdb": "tt0903747", "tvdb": "81189"}
    kinds = [a.kind for a in show.artwork]
    assert kinds[0] == "poster" and {"backdrop", "banner", "logo"} <= set(kinds)
    walter = show.people[0]
    assert (walter.name, walter.role, walter.character) == (
        "Bryan Cranston",
        "actor",
        "Walter White",
    )
    assert ("Vince Gilligan", "writer") in {(p.name, p.role) for p in show.people}


async def test_episodes_in_each_season_type(api: FakeApi, http_client: httpx.AsyncClient) -> None:
    api.json("/login", "tvdb/login", method="POST")

    def default(seen: Seen) -> Reply:
        page = seen.query.get("page", "0")
        return authorized(f"tvdb/episodes_default_page{page}")(seen)

    api.on("GET", "/series/81189/episodes/default", default)
    api.on("GET", "/series/81189/episodes/absolute", authorized("tvdb/episodes_absolute"))
    api.on("GET", "/series/81189/episodes/dvd", authorized("tvdb/episodes_dvd"))
    provider = tvdb(api, http_client)

    aired = await provider.episodes(EpisodeQuery("81189"))
    assert [(e.season, e.number) for e in aired] == [(1, 1), (1, 2), (1, 3), (2, 1)]
    assert len(api.calls("/series/81189/episodes/default")) == 2  # followed links.next
    absolute = await provider.episodes(EpisodeQuery("81189", order="absolute"))
    assert [e.absolute_number for e in absolute] == [1, 2, 3, 4]
    dvd = await provider.episodes(EpisodeQuery("81189", 1, "dvd"))
    assert [e.title for e in dvd][:3] == [
        "Pilot",
        "...And the Bag's in the River",
        "Cat's in the Bag...",
    ]
    assert api.calls("/series/81189/episodes/dvd")[0].query["season"] == "1"


async def test_expired_token_is_renewed_once(api: FakeApi, http_client: httpx.AsyncClient) -> None:
    api.on(
        "POST",
        "/login",
        [Reply(body=fixture("tvdb/login")), Reply(body=fixture("tvdb/login_renewed"))],
    )
    # The server only accepts the second token: the first has "expired".
    api.on("GET", "/series/81189/extended", authorized("tvdb/series_81189_extended", TOKEN_TWO))
    provider = tvdb(api, http_client)
    show = await provider.series_details("81189", None)
    assert show.title == "Breaking Bad"
    assert provider.logins == 2
    assert [c.headers["authorization"] for c in api.calls("/series/81189/extended")] == [
        f"Bearer {TOKEN_ONE}",
        f"Bearer {TOKEN_TWO}",
    ]


async def test_refused_api_key_is_an_auth_error(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.on("POST", "/login", Reply(401, fixture("tvdb/error_login_401")))
    with pytest.raises(ProviderAuthError):
        await tvdb(api, http_client).search_series("Breaking Bad", None, None)


async def test_unknown_series_and_remote_id(api: FakeApi, http_client: httpx.AsyncClient) -> None:
    api.json("/login", "tvdb/login", method="POST")
    api.on("GET", "/series/99999999/extended", Reply(404, fixture("tvdb/error_404")))
    api.on("GET", "/search/remoteid/tt0903747", authorized("tvdb/remoteid_tt0903747"))
    provider = tvdb(api, http_client)
    with pytest.raises(ProviderNotFound):
        await provider.series_details("99999999", None)
    assert await provider.resolve_id("series", ExternalIds(imdb="tt0903747")) == "81189"
    assert await provider.resolve_id("movie", ExternalIds(tvdb="1")) is None
