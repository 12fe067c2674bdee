"""TMDb client against a loopback server answering with TMDb-shaped JSON."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from revenge.infra.cache import MemoryCache
from revenge.metadata.errors import (
    NoProviderKey,
    ProviderAuthError,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderUnavailable,
)
from revenge.metadata.providers.tmdb import TmdbProvider
from revenge.metadata.types import EpisodeQuery
from revenge.testing import StaticKeys
from revenge.testing.fake_api import FakeApi, Reply, fixture
from tests.metadata.conftest import Sleeps, provider_http

KEY = "0123456789abcdef0123456789abcdef"


def tmdb(api: FakeApi, client: httpx.AsyncClient, **kw: object) -> TmdbProvider:
    api.json("/configuration", "tmdb/configuration")
    return TmdbProvider(provider_http(client, "tmdb", api.url, **kw), StaticKeys(tmdb=KEY))  # type: ignore[arg-type]


async def test_search_then_details_with_credits_images_and_collection(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.json("/search/movie", "tmdb/search_movie_matrix")
    api.json("/movie/603", "tmdb/movie_603")
    provider = tmdb(api, http_client)

    found = await provider.search_movie("The Matrix", 1999, "en-US")
    assert [(c.provider_id, c.title, c.year) for c in found][:1] == [("603", "The Matrix", 1999)]
    search = api.calls("/search/movie")[0]
    assert search.query == {
        "query": "The Matrix",
        "year": "1999",
        "language": "en-US",
        "include_adult": "false",
        "api_key": KEY,
    }

    movie = await provider.movie_details("603", "en-US")
    details = api.calls("/movie/603")[0]
    assert details.query["append_to_response"] == "credits,images,external_ids"
    assert movie.title == "The Matrix" and movie.year == 1999 and movie.runtime_minutes == 136
    assert movie.ids.as_dict() == {"tmdb": "603", "imdb": "tt0133093"}
    assert movie.genres == ("Action", "Science Fiction")
    assert movie.collection is not None and movie.collection.name == "The Matrix Collection"
    assert movie.collection.ids.tmdb == "2344"
    neo = movie.people[0]
    assert (neo.name, neo.role, neo.character) == (
        "Keanu Reeves",
        "actor",
        "Thomas A. Anderson / Neo",
    )
    assert {p.name for p in movie.people if p.role == "director"} == {"Lana Wachowski"}
    assert "Bill Pope" not in {p.name for p in movie.people}
    # Image URLs are built from /configuration's secure base URL at original size.
    poster = movie.artwork_of("poster")[0]
    assert poster.url == "https://image.tmdb.org/t/p/original/f89U3ADr1oiB1s9GkdPOEpXUk5H.jpg"
    assert {a.kind for a in movie.artwork} == {"poster", "backdrop", "logo"}
    assert movie.ratings[0].source == "tmdb" and movie.ratings[0].votes == 25120


async def test_bearer_token_keys_go_in_a_header_not_the_query(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.json("/configuration", "tmdb/configuration")
    api.json("/movie/603", "tmdb/movie_603")
    token = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl"
    provider = TmdbProvider(provider_http(http_client, "tmdb", api.url), StaticKeys(tmdb=token))
    await provider.movie_details("603", None)
    seen = api.calls("/movie/603")[0]
    assert seen.headers["authorization"] == f"Bearer {token}"
    assert "api_key" not in seen.query


async def test_imdb_id_resolves_through_find(api: FakeApi, http_client: httpx.AsyncClient) -> None:
    api.json("/find/tt0133093", "tmdb/find_tt0133093")
    provider = tmdb(api, http_client)
    from revenge.metadata.types import ExternalIds

    assert await provider.resolve_id("movie", ExternalIds(imdb="tt0133093")) == "603"
    assert api.calls("/find/tt0133093")[0].query["external_source"] == "imdb_id"
    assert await provider.resolve_id("movie", ExternalIds(tmdb="42")) == "42"


async def test_series_and_season_episodes(api: FakeApi, http_client: httpx.AsyncClient) -> None:
    api.json("/tv/1396", "tmdb/tv_1396")
    api.json("/tv/1396/season/1", "tmdb/tv_1396_season_1")
    provider = tmdb(api, http_client)
    show = await provider.series_details("1396", "en-US")
    assert show.title == "Breaking Bad" and show.year == 2008
    assert show.ids.as_dict() == {"tmdb": "1396", "imdb": "tt0903747", "tvdb": "81189"}
    assert show.studios == ("AMC",)
    episodes = await provider.episodes(EpisodeQuery("1396", language="en-US"))
    assert [(e.season, e.number, e.title) for e in episodes] == [
        (1, 1, "Pilot"),
        (1, 2, "Cat's in the Bag..."),
    ]
    assert episodes[0].still_url and episodes[0].still_url.endswith(
        "/ydlY3iPfeOAvu8gVqrxPoMvzNCn.jpg"
    )
    with pytest.raises(ProviderNotFound):
        await provider.episodes(EpisodeQuery("1396", 1, "dvd"))


async def test_bad_key_is_a_clear_auth_error(api: FakeApi, http_client: httpx.AsyncClient) -> None:
    api.on("GET", "/configuration", Reply(401, fixture("tmdb/error_401")))
    api.on("GET", "/movie/603", Reply(401, fixture("tmdb/error_401")))
    provider = tmdb(api, http_client)
    api.on("GET", "/configuration", Reply(401, fixture("tmdb/error_401")))
    with pytest.raises(ProviderAuthError, match="401"):
        await provider.movie_details("603", None)
    assert len(api.calls("/movie/603")) == 1  # a refused key is not retried


async def test_unknown_item_is_not_found(api: FakeApi, http_client: httpx.AsyncClient) -> None:
    api.on("GET", "/movie/999999", Reply(404, fixture("tmdb/error_404")))
    with pytest.raises(ProviderNotFound):
        await tmdb(api, http_client).movie_details("999999", None)


async def test_missing_key_raises_no_provider_key(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    provider = TmdbProvider(provider_http(http_client, "tmdb", api.url), StaticKeys())
    with pytest.raises(NoProviderKey):
        await provider.search_movie("The Matrix", None, None)
    assert api.calls() == []


async def test_429_waits_for_retry_after_then_succeeds(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    limited = Reply(429, fixture("tmdb/error_429"), {"Retry-After": "3"})
    api.on("GET", "/search/movie", [limited, Reply(body=fixture("tmdb/search_movie_matrix"))])
    sleeps = Sleeps()
    found = await tmdb(api, http_client, sleeps=sleeps).search_movie("The Matrix", None, None)
    assert found[0].provider_id == "603"
    assert sleeps.delays == [3.0]
    assert len(api.calls("/search/movie")) == 2


async def test_429_with_a_long_retry_after_gives_up_at_once(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.on("GET", "/search/movie", Reply(429, fixture("tmdb/error_429"), {"Retry-After": "3600"}))
    sleeps = Sleeps()
    with pytest.raises(ProviderRateLimited) as caught:
        await tmdb(api, http_client, sleeps=sleeps).search_movie("x", None, None)
    assert caught.value.retry_after == 3600 and sleeps.delays == []


async def test_500_is_retried_with_backoff_then_reported(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.on("GET", "/movie/603", Reply(500, fixture("tmdb/error_500")))
    sleeps = Sleeps()
    provider = tmdb(api, http_client, sleeps=sleeps, max_retries=2, retry_base=0.5)
    with pytest.raises(ProviderUnavailable, match="HTTP 500"):
        await provider.movie_details("603", None)
    assert len(api.calls("/movie/603")) == 3
    assert 0.5 <= sleeps.delays[0] < 0.7 and 1.0 <= sleeps.delays[1] < 1.3


async def test_500_then_success_recovers(api: FakeApi, http_client: httpx.AsyncClient) -> None:
    api.on("GET", "/movie/603", [Reply(502, b"Bad Gateway"), Reply(body=fixture("tmdb/movie_603"))])
    movie = await tmdb(api, http_client).movie_details("603", None)
    assert movie.title == "The Matrix"


async def test_timeout_is_retried_then_reported(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.on("GET", "/movie/603", Reply(body=fixture("tmdb/movie_603"), delay=1.0))
    provider = tmdb(api, http_client, timeout=0.2, max_retries=1)
    with pytest.raises(ProviderUnavailable, match="timed out"):
        await provider.movie_details("603", None)
    assert len(api.calls("/movie/603")) == 2


async def test_responses_are_cached_without_the_key(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.json("/search/movie", "tmdb/search_movie_matrix")
    cache = MemoryCache(100, 3600)
    provider = tmdb(api, http_client, cache=cache)
    first = await provider.search_movie("The Matrix", 1999, "en-US")
    second = await provider.search_movie("The Matrix", 1999, "en-US")
    assert first == second
    assert len(api.calls("/search/movie")) == 1
    assert all(KEY not in key for key in cache._data)
    await provider.search_movie("The Matrix", 1999, "de-DE")
    assert len(api.calls("/search/movie")) == 2


async def test_the_same_search_asked_at_once_is_sent_once(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.latency = 0.05
    api.json("/search/movie", "tmdb/search_movie_matrix")
    provider = tmdb(api, http_client, cache=MemoryCache(100, 3600))

    answers = await asyncio.gather(
        *(provider.search_movie("The Matrix", 1999, "en-US") for _ in range(5)),
        provider.search_movie("The Matrix", 2003, "en-US"),
    )

    assert all(a[0].provider_id == "603" for a in answers)
    years = sorted(call.query["year"] for call in api.calls("/search/movie"))
    assert years == ["1999", "2003"]  # one request per distinct title and year


async def test_a_series_and_its_episodes_take_one_details_request(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.json("/tv/1396", "tmdb/tv_1396")
    api.json("/tv/1396/season/1", "tmdb/tv_1396_season_1")
    provider = tmdb(api, http_client, cache=MemoryCache(100, 3600))

    series = await provider.series_details("1396", "en-US")
    episodes = await provider.episodes(EpisodeQuery("1396", language="en-US"))

    assert series.title == "Breaking Bad" and episodes
    assert len(api.calls("/tv/1396")) == 1
