"""Keyset paging, sorts, filters and limits of the movie and series lists."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from revenge.runtime import Runtime
from revenge.testing.seed import add_episode, add_movie, add_series
from tests.browse.conftest import AS_ADMIN, AS_USER, Libraries, all_pages, give_duration

BASE = datetime(2026, 1, 1, tzinfo=UTC)


async def test_movie_pages_neither_repeat_nor_miss_rows_inserted_between_fetches(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    originals = {
        await add_movie(clean_runtime, libs.shared, f"Movie {n:02d}") for n in range(0, 40, 2)
    }
    for sort, order in (("title", "asc"), ("added", "desc"), ("year", "desc")):
        seen: list[str] = []
        cursor = None
        inserted = 0
        while True:
            params = {"sort": sort, "order": order, "limit": 3}
            if cursor:
                params["cursor"] = cursor
            body = (await api.get("/api/v1/movies", params=params, headers=AS_ADMIN)).json()
            seen += [m["id"] for m in body["items"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
            # New rows sort both before and after the position already reached.
            inserted += 1
            await add_movie(clean_runtime, libs.shared, f"Movie {inserted * 2 - 1:02d}", year=1990)
            await add_movie(clean_runtime, libs.shared, f"Zed {sort} {inserted}", year=2030)
        assert len(seen) == len(set(seen)), sort
        assert originals <= {uuid.UUID(i) for i in seen}, sort


async def test_series_pages_follow_cursor_without_duplicates(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    made = {await add_series(clean_runtime, libs.tv, f"Show {n}") for n in range(11)}
    seen = await all_pages(api, "/api/v1/tv/series", AS_ADMIN, sort="title", limit=4)
    titles = [s["title"] for s in seen]
    assert titles == sorted(titles, key=str.casefold)
    assert {uuid.UUID(s["id"]) for s in seen} == made
    assert len(seen) == 11


async def _sorted_catalogue(rt: Runtime, tmp_path: Path, libs: Libraries) -> dict[str, uuid.UUID]:
    rows = {
        "Brazil": (1985, 2, 8000.0),
        "alien": (1979, 0, 7000.0),
        "Casablanca": (1942, 1, None),
        "Dune": (None, 3, 9000.0),
    }
    ids = {}
    for title, (year, days, runtime) in rows.items():
        ids[title] = await add_movie(
            rt, libs.shared, title, year=year, created_at=BASE + timedelta(days=days)
        )
        if runtime is not None:
            await give_duration(rt, tmp_path, libs.shared, "movie", ids[title], runtime)
    return ids


async def test_every_movie_sort_orders_both_ways_with_missing_values_last(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries, tmp_path: Path
) -> None:
    await _sorted_catalogue(clean_runtime, tmp_path, libs)
    expected = {
        ("title", "asc"): ["alien", "Brazil", "Casablanca", "Dune"],
        ("title", "desc"): ["Dune", "Casablanca", "Brazil", "alien"],
        ("added", "asc"): ["alien", "Casablanca", "Brazil", "Dune"],
        ("added", "desc"): ["Dune", "Brazil", "Casablanca", "alien"],
        ("year", "asc"): ["Casablanca", "alien", "Brazil", "Dune"],
        ("year", "desc"): ["Brazil", "alien", "Casablanca", "Dune"],
        ("runtime", "asc"): ["alien", "Brazil", "Dune", "Casablanca"],
        ("runtime", "desc"): ["Dune", "Brazil", "alien", "Casablanca"],
    }
    for (sort, order), titles in expected.items():
        items = await all_pages(api, "/api/v1/movies", AS_ADMIN, sort=sort, order=order, limit=1)
        assert [m["title"] for m in items] == titles, (sort, order)


async def test_movie_filters_library_genre_year_played_and_favourite(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    rt = clean_runtime
    heat = await add_movie(rt, libs.shared, "Heat", year=1995, genres=["Crime", "Drama"])
    await add_movie(rt, libs.shared, "Up", year=2009, genres=["Animation"])
    await add_movie(rt, libs.shared, "Jaws", year=1975)
    await add_movie(rt, libs.private, "Hidden", year=1995, genres=["Crime"])
    mark = f"/api/v1/items/movie/{heat}/state"
    assert (
        await api.patch(mark, json={"played": True, "favourite": True}, headers=AS_USER)
    ).is_success

    async def titles(headers: dict[str, str], **params: object) -> list[str]:
        items = await all_pages(api, "/api/v1/movies", headers, **params)
        return [m["title"] for m in items]

    assert await titles(AS_ADMIN, genre="Crime") == ["Heat", "Hidden"]
    assert await titles(AS_USER, genre="Crime") == ["Heat"]
    assert await titles(AS_ADMIN, library_id=str(libs.private)) == ["Hidden"]
    assert await titles(AS_USER, year_from=1990, year_to=2000) == ["Heat"]
    assert await titles(AS_USER, year_from=1990) == ["Heat", "Up"]
    assert await titles(AS_USER, year=1975) == ["Jaws"]
    assert await titles(AS_USER, played="true") == ["Heat"]
    assert await titles(AS_USER, played="false") == ["Jaws", "Up"]
    assert await titles(AS_USER, favourite="true") == ["Heat"]
    assert await titles(AS_USER, favourite="false") == ["Jaws", "Up"]
    # Played and favourite are the caller's own: the admin has none.
    assert await titles(AS_ADMIN, favourite="true") == []


async def test_series_filters_year_and_played_by_every_episode(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    rt = clean_runtime
    done = await add_series(rt, libs.tv, "Done", year=2001)
    half = await add_series(rt, libs.tv, "Half", year=2011)
    for series in (done, half):
        first = await add_episode(rt, libs.tv, series, 1, 1, "One")
        await api.patch(
            f"/api/v1/items/episode/{first}/state", json={"played": True}, headers=AS_USER
        )
    await add_episode(rt, libs.tv, half, 1, 2, "Two")
    await add_series(rt, libs.private_tv, "Secret", year=2001)

    async def titles(**params: object) -> list[str]:
        items = await all_pages(api, "/api/v1/tv/series", AS_USER, **params)
        return [s["title"] for s in items]

    assert await titles() == ["Done", "Half"]
    assert await titles(played="true") == ["Done"]
    assert await titles(played="false") == ["Half"]
    assert await titles(year_from=2005) == ["Half"]
    assert await titles(year_to=2005, sort="added", order="desc") == ["Done"]


async def test_page_size_below_1_is_refused_and_above_500_capped(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    for n in range(3):
        await add_movie(clean_runtime, libs.shared, f"M{n}")
    for url in ("/api/v1/movies", "/api/v1/me/recently-added", "/api/v1/me/next-up"):
        for bad in (0, -3):
            zero = await api.get(url, params={"limit": bad}, headers=AS_ADMIN)
            assert zero.status_code == 400, (url, bad)
            assert zero.headers["content-type"].startswith("application/problem+json")
            assert "limit" in zero.json()["detail"]
    small = (await api.get("/api/v1/movies", params={"limit": 1}, headers=AS_ADMIN)).json()
    assert (small["limit"], len(small["items"]), small["total"]) == (1, 1, 3)
    assert small["next_cursor"] is not None
    big = (await api.get("/api/v1/tv/series", params={"limit": 9999}, headers=AS_ADMIN)).json()
    assert big["limit"] == 500


async def test_a_malformed_query_value_answers_422_naming_the_parameter(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    """A list reads its whole query as one model: each value is still checked as the OpenAPI
    document says, and the problem names the parameter that was wrong."""
    movie = await add_movie(clean_runtime, libs.shared, "Checked")
    for url, params, name in (
        ("/api/v1/movies", {"year": "nineteen"}, "year"),
        ("/api/v1/movies", {"year_from": "10000"}, "year_from"),
        ("/api/v1/movies", {"played": "maybe"}, "played"),
        ("/api/v1/movies", {"genre": "x" * 101}, "genre"),
        ("/api/v1/movies", {"order": "sideways"}, "order"),
        ("/api/v1/movies", {"offset": "-1"}, "offset"),
        ("/api/v1/movies", {"library_id": "not-a-uuid"}, "library_id"),
        ("/api/v1/tv/series", {"cursor": "c" * 2049}, "cursor"),
        ("/api/v1/music/albums", {"artist_id": "42"}, "artist_id"),
        (f"/api/v1/movies/{movie}", {"limit": "many"}, "limit"),
    ):
        response = await api.get(url, params=params, headers=AS_ADMIN)
        assert response.status_code == 422, (url, params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["detail"].startswith(f"{name}: "), problem
        assert problem["errors"][0]["loc"] == ["query", name], problem
    listed = await api.get("/api/v1/movies", params={"year": "2001", "played": "false"},
                           headers=AS_ADMIN)  # fmt: skip
    assert listed.status_code == 200, listed.text


async def test_unknown_sort_or_filter_answers_400_naming_the_key(
    api: httpx.AsyncClient, libs: Libraries
) -> None:
    for url, params, key in (
        ("/api/v1/movies", {"colour": "red"}, "colour"),
        ("/api/v1/movies", {"sort": "popularity"}, "popularity"),
        ("/api/v1/tv/series", {"genre": "Drama"}, "genre"),
        ("/api/v1/tv/series", {"sort": "budget"}, "budget"),
    ):
        response = await api.get(url, params=params, headers=AS_USER)
        assert response.status_code == 400, (url, params)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert key in response.json()["detail"]


async def test_damaged_or_foreign_cursor_answers_400(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    for n in range(3):
        await add_movie(clean_runtime, libs.shared, f"M{n}")
    first = (await api.get("/api/v1/movies", params={"limit": 1}, headers=AS_USER)).json()
    cursor = first["next_cursor"]
    last_id = str(uuid.uuid4())
    forged = [
        # Well-formed base64 JSON that `encode` never writes: values SQL must not receive.
        ["title", False, [[{"a": 1}, None]], last_id],
        ["title", False, [[[1, 2], None]], last_id],
        ["title", False, [["A", None]], 5],
        ["title", False, [["A", "dt"]], last_id],
        ["year", False, [["not a year", None]], last_id],
        ["added", False, [[7, "dt"]], last_id],
        ["title", False, [["A", None], ["B", None]], last_id],
        ["title", False, "A", last_id],
        ["title", False, [["A"]], last_id],
        "title",
    ]
    for params in (
        {"cursor": "not-a-cursor!"},
        {"cursor": cursor, "sort": "year"},
        {"cursor": cursor, "offset": 1},
        *({"cursor": _token(f), "sort": f[0] if isinstance(f, list) else "title"} for f in forged),
    ):
        response = await api.get("/api/v1/movies", params=params, headers=AS_USER)
        assert response.status_code == 400, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"


def _token(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


async def test_lists_show_only_granted_libraries(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    await add_movie(clean_runtime, libs.shared, "Seen")
    await add_movie(clean_runtime, libs.private, "Unseen")
    await add_series(clean_runtime, libs.private_tv, "Unseen Show")
    movies = await all_pages(api, "/api/v1/movies", AS_USER, limit=1)
    assert [m["title"] for m in movies] == ["Seen"]
    assert await all_pages(api, "/api/v1/tv/series", AS_USER) == []
    hidden = await api.get(
        "/api/v1/movies", params={"library_id": str(libs.private)}, headers=AS_USER
    )
    assert hidden.json()["items"] == []


async def test_rating_and_runtime_sorts_page_with_unrated_last(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    ratings = {"Low": 5.5, "High": 8.9, "Mid": 7.25, "Tie": 7.25, "Unrated": None}
    for title, rating in ratings.items():
        await add_movie(clean_runtime, libs.shared, title, community_rating=rating)
        await add_series(
            clean_runtime, libs.tv, f"{title} Show", community_rating=rating,
            runtime_minutes=int(rating * 10) if rating else None,
        )  # fmt: skip
    for order, expected in (
        ("desc", ["High", "Tie", "Mid", "Low", "Unrated"]),
        ("asc", ["Low", "Mid", "Tie", "High", "Unrated"]),
    ):
        movies = await all_pages(
            api, "/api/v1/movies", AS_USER, sort="rating", order=order, limit=2
        )
        titles = [m["title"] for m in movies]
        # Equal ratings fall back to id order; only the set of tied titles is fixed.
        assert titles[0] == expected[0] and titles[-2:] == expected[-2:]
        assert set(titles[1:3]) == {"Mid", "Tie"}
        assert [m["community_rating"] for m in movies][-1] is None
    shows = await all_pages(api, "/api/v1/tv/series", AS_USER, sort="runtime", limit=2)
    assert [s["runtime_minutes"] for s in shows] == [55, 72, 72, 89, None]
    rated = await all_pages(api, "/api/v1/tv/series", AS_USER, sort="rating", order="desc")
    assert rated[0]["title"] == "High Show" and rated[-1]["community_rating"] is None
