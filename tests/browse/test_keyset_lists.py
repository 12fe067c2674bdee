"""Keyset paging, sorts and limits of the music, audiobook and podcast lists."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from revenge.runtime import Runtime
from revenge.testing.auth import USER
from revenge.testing.seed import add_audiobook, add_library, execute
from tests.browse.conftest import AS_ADMIN, AS_USER, all_pages

# Adds one item titled `title` from `year`; returns its id.
Adder = Callable[[Runtime, uuid.UUID, str, int], Awaitable[uuid.UUID]]


async def _row(rt: Runtime, table: str, **values: Any) -> uuid.UUID:
    row_id = values.setdefault("id", uuid.uuid4())
    values.setdefault("group_key", uuid.uuid4().hex)
    columns, marks = ", ".join(values), ", ".join(f":{k}" for k in values)
    await execute(rt, f"INSERT INTO {table} ({columns}) VALUES ({marks})", **values)
    return uuid.UUID(str(row_id))


async def _artist(rt: Runtime, library_id: uuid.UUID, name: str, year: int) -> uuid.UUID:
    artist = await _row(rt, "artists", library_id=library_id, name=name, sort_name=name.casefold())
    # The list shows album artists only.
    await _row(
        rt, "albums", library_id=library_id, title=f"{name} LP", sort_title=f"{name} lp",
        album_artist_id=artist, year=year,
    )  # fmt: skip
    return artist


async def _album(rt: Runtime, library_id: uuid.UUID, title: str, year: int) -> uuid.UUID:
    return await _row(
        rt, "albums", library_id=library_id, title=title, sort_title=title.casefold(), year=year
    )


async def _book(rt: Runtime, library_id: uuid.UUID, title: str, year: int) -> uuid.UUID:
    return await add_audiobook(rt, library_id, title, year=year)


async def _podcast(rt: Runtime, library_id: uuid.UUID, title: str, year: int) -> uuid.UUID:
    return await _row(rt, "podcasts", library_id=library_id, title=title, sort_title=title.lower())


@dataclass(frozen=True)
class Listing:
    url: str
    kind: str
    add: Adder
    title: str
    sorts: tuple[tuple[str, str], ...]


LISTINGS = [
    Listing(
        "/api/v1/music/artists", "music", _artist, "name", (("name", "asc"), ("added", "desc"))
    ),
    Listing(
        "/api/v1/music/albums",
        "music",
        _album,
        "title",
        (("title", "asc"), ("year", "desc"), ("added", "asc")),
    ),
    Listing(
        "/api/v1/audiobooks",
        "audiobook",
        _book,
        "title",
        (("title", "desc"), ("year", "asc"), ("added", "desc"), ("series", "asc")),
    ),
    Listing(
        "/api/v1/podcasts", "podcast", _podcast, "title", (("title", "asc"), ("added", "desc"))
    ),
]


@pytest.fixture(params=LISTINGS, ids=lambda listing: listing.url.rsplit("/", 1)[-1])
def listing(request: pytest.FixtureRequest) -> Listing:
    return request.param  # type: ignore[no-any-return]


async def test_pages_neither_repeat_nor_miss_rows_inserted_between_fetches(
    api: httpx.AsyncClient, clean_runtime: Runtime, listing: Listing
) -> None:
    rt = clean_runtime
    library = await add_library(rt, listing.kind, grant=(USER.user_id,))
    originals = {
        await listing.add(rt, library, f"Item {n:02d}", 2000 + n % 5) for n in range(0, 30, 2)
    }
    for sort, order in listing.sorts:
        seen: list[str] = []
        cursor = None
        inserted = 0
        while True:
            params: dict[str, Any] = {"sort": sort, "order": order, "limit": 4}
            if cursor:
                params["cursor"] = cursor
            response = await api.get(listing.url, params=params, headers=AS_USER)
            assert response.status_code == 200, response.text
            body = response.json()
            seen += [item["id"] for item in body["items"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
            # New rows sort both before and after the position already reached.
            inserted += 1
            await listing.add(rt, library, f"Item {inserted * 2 - 1:02d}", 1990)
            await listing.add(rt, library, f"Zz {sort} {inserted}", 2030)
        assert inserted >= 3, (sort, order)
        assert len(seen) == len(set(seen)), (sort, order)
        assert originals <= {uuid.UUID(i) for i in seen}, (sort, order)


async def test_cursor_and_offset_pages_agree_with_one_page(
    api: httpx.AsyncClient, clean_runtime: Runtime, listing: Listing
) -> None:
    library = await add_library(clean_runtime, listing.kind, grant=(USER.user_id,))
    for n in range(7):
        await listing.add(clean_runtime, library, f"Title {n}", 2000 + n % 3)
    for sort, order in listing.sorts:
        params = {"sort": sort, "order": order}
        whole = (await api.get(listing.url, params=params, headers=AS_USER)).json()
        assert whole["total"] == 7 and whole["next_cursor"] is None
        ids = [item["id"] for item in whole["items"]]
        paged = await all_pages(api, listing.url, AS_USER, **params, limit=2)
        assert [item["id"] for item in paged] == ids, (sort, order)
        third = await api.get(
            listing.url, params={**params, "offset": 2, "limit": 2}, headers=AS_USER
        )
        assert [item["id"] for item in third.json()["items"]] == ids[2:4], (sort, order)
    titles = [item[listing.title] for item in whole["items"]]
    assert len(titles) == 7


async def test_unknown_sort_or_filter_answers_400_naming_the_key(
    api: httpx.AsyncClient, clean_runtime: Runtime, listing: Listing
) -> None:
    for params, key in (({"colour": "red"}, "colour"), ({"sort": "popularity"}, "popularity")):
        response = await api.get(listing.url, params=params, headers=AS_USER)
        assert response.status_code == 400, (listing.url, params)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert key in response.json()["detail"]


async def test_page_size_below_1_is_refused_and_above_500_capped(
    api: httpx.AsyncClient, clean_runtime: Runtime, listing: Listing
) -> None:
    library = await add_library(clean_runtime, listing.kind, grant=(USER.user_id,))
    for n in range(3):
        await listing.add(clean_runtime, library, f"T{n}", 2000)
    assert (await api.get(listing.url, params={"limit": 0}, headers=AS_USER)).status_code == 400
    small = (await api.get(listing.url, params={"limit": 1}, headers=AS_USER)).json()
    assert (small["limit"], len(small["items"]), small["total"]) == (1, 1, 3)
    assert small["next_cursor"] is not None
    big = (await api.get(listing.url, params={"limit": 9999}, headers=AS_USER)).json()
    assert (big["limit"], len(big["items"]), big["next_cursor"]) == (500, 3, None)


async def test_lists_keep_their_own_filters_and_hide_ungranted_libraries(
    api: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    rt = clean_runtime
    music = await add_library(rt, "music", grant=(USER.user_id,))
    hidden = await add_library(rt, "music")
    artist = await _artist(rt, music, "Nico", 1967)
    await _album(rt, music, "Loose", 2001)
    await _artist(rt, hidden, "Secret", 1999)
    albums = await all_pages(api, "/api/v1/music/albums", AS_USER, artist_id=str(artist))
    assert [a["title"] for a in albums] == ["Nico LP"]
    artists = await all_pages(api, "/api/v1/music/artists", AS_ADMIN, limit=1)
    assert [a["name"] for a in artists] == ["Nico", "Secret"]
    assert [a["name"] for a in await all_pages(api, "/api/v1/music/artists", AS_USER)] == ["Nico"]
    books = await add_library(rt, "audiobook", grant=(USER.user_id,))
    book = await add_audiobook(rt, books, "Dune")
    await add_audiobook(rt, books, "Emma")
    await execute(
        rt, "INSERT INTO audiobook_people (audiobook_id, role, name, position)"
        " VALUES (:b, 'author', 'Frank Herbert', 0)", b=book,
    )  # fmt: skip
    found = await all_pages(api, "/api/v1/audiobooks", AS_USER, author="frank herbert")
    assert [b["title"] for b in found] == ["Dune"]


async def test_audiobook_series_sort_keeps_reading_order_across_pages(
    api: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    rt = clean_runtime
    library = await add_library(rt, "audiobook", grant=(USER.user_id,))
    books = {
        "Foundation": ("Foundation", 1.0),
        "Second Foundation": ("Foundation", 3.0),
        "Foundation and Empire": ("Foundation", 2.0),
        "Prequel": ("Foundation", None),
        "Mort": ("Discworld", 4.0),
        "Colour of Magic": ("Discworld", 1.0),
        "Standalone": (None, None),
    }
    for title, (series, position) in books.items():
        await add_audiobook(rt, library, title, series_name=series, series_position=position)
    expected = {
        "asc": [
            "Colour of Magic", "Mort", "Foundation", "Foundation and Empire",
            "Second Foundation", "Prequel", "Standalone",
        ],
        "desc": [
            "Foundation", "Foundation and Empire", "Second Foundation", "Prequel",
            "Colour of Magic", "Mort", "Standalone",
        ],
    }  # fmt: skip
    for order, titles in expected.items():
        found = await all_pages(
            api, "/api/v1/audiobooks", AS_USER, sort="series", order=order, limit=1
        )
        assert [b["title"] for b in found] == titles, order
