"""Search on a realistic catalogue: prefixes, typos, accents, ranking, filters, access."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import event

from revenge.catalog.totals import CatalogTotals
from revenge.infra.jobs.context import JobContext
from revenge.runtime import Runtime
from revenge.search import repository as repo
from revenge.search.index import PostgresSearchIndex, SearchQuery
from revenge.search.jobs import index as index_job
from revenge.search.schemas import SearchHitOut, SearchOut
from revenge.search.service import search_index
from revenge.testing.seed import add_movie, execute
from tests.playlists.conftest import AS_ADMIN, AS_USER
from tests.search.conftest import Search

URL = "/api/v1/search"


async def _search(api: httpx.AsyncClient, q: str, headers: dict[str, str] = AS_USER,
                  **params: Any) -> dict[str, Any]:  # fmt: skip
    r = await api.get(URL, params={"q": q, **params}, headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _titles(body: dict[str, Any]) -> list[str]:
    return [i["title"] for i in body["items"]]


async def test_exact_title_ranks_first(api: httpx.AsyncClient, catalogue: Search) -> None:
    titles = _titles(await _search(api, "the matrix"))
    assert titles[:2] == ["The Matrix", "The Matrix Reloaded"]
    assert _titles(await _search(api, "heat"))[0] == "Heat"


async def test_prefix_as_one_types(api: httpx.AsyncClient, catalogue: Search) -> None:
    body = await _search(api, "star w")
    assert _titles(body)[0] == "Star Wars"
    star = _titles(await _search(api, "sta", types="movie"))
    assert {"Star Wars", "Star Trek", "Stargate", "Starship Troopers"} <= set(star[:4])
    assert _titles(await _search(api, "godf"))[0] == "The Godfather"


async def test_typos_are_forgiven(api: httpx.AsyncClient, catalogue: Search) -> None:
    assert _titles(await _search(api, "matirx"))[0] == "The Matrix"
    beatles = await _search(api, "beetles")
    assert beatles["items"][0]["id"] == str(catalogue.beatles_track)
    assert beatles["items"][0]["names"].startswith("The Beatles")
    assert _titles(await _search(api, "casablanka"))[0] == "Casablanca"
    assert _titles(await _search(api, "godfahter"))[0] == "The Godfather"


async def test_accents_are_folded(api: httpx.AsyncClient, catalogue: Search) -> None:
    assert _titles(await _search(api, "amelie"))[0] == "Amélie"
    assert _titles(await _search(api, "AMÉLIE"))[0] == "Amélie"
    assert _titles(await _search(api, "leon"))[0] == "Léon"


async def test_title_beats_prefix_beats_typo_beats_overview(
    api: httpx.AsyncClient, catalogue: Search, clean_runtime: Runtime
) -> None:
    lib = catalogue.shared
    ids = [
        await add_movie(clean_runtime, lib, "Crew", year=2000),
        await add_movie(clean_runtime, lib, "Crewmates", year=2000),
        await add_movie(clean_runtime, lib, "The Crow", year=1994),
    ]
    await index_job(JobContext(clean_runtime, 0, "search.index", 1),
                    {"items": [{"kind": "movie", "id": str(i)} for i in ids]})  # fmt: skip
    titles = _titles(await _search(api, "crew", types="movie"))
    assert titles[:2] == ["Crew", "Crewmates"]
    # Heat and Ocean's Eleven mention a crew in their overview only: after title matches.
    assert titles.index("Heat") > 1
    assert titles.index("Ocean's Eleven") > 1
    typo = _titles(await _search(api, "crow", types="movie"))
    assert typo[0] == "The Crow"


async def test_overview_people_and_names_are_searched(
    api: httpx.AsyncClient, catalogue: Search
) -> None:
    assert "Amélie" in _titles(await _search(api, "montmartre"))
    bowie = await _search(api, "bowie")
    assert _titles(bowie) == ["Starman"]
    ziggy = await _search(api, "ziggy")
    assert [(i["type"], i["title"]) for i in ziggy["items"]] == [
        ("album", "Ziggy Stardust"), ("track", "Starman"),
    ]  # fmt: skip


async def test_grouped_and_filtered(api: httpx.AsyncClient, catalogue: Search) -> None:
    body = await _search(api, "star")
    assert {"movie", "series", "track"} <= set(body["groups"])
    assert body["totals"]["movie"] >= 4
    assert _titles(await _search(api, "star", types="series")) == ["Star Trek: The Next Generation"]
    years = _titles(await _search(api, "star", types="movie", year_from=1990, year_to=1999))
    assert set(years) == {"Stargate", "Starship Troopers"}
    only_lib = await _search(api, "star", library_id=str(catalogue.shared))
    assert set(only_lib["groups"]) == {"movie"}
    bad = await api.get(URL, params={"q": "star", "types": "movie,bogus"}, headers=AS_USER)
    assert bad.status_code == 422 and "types" in bad.json()["detail"]
    assert (await api.get(URL, params={"q": ""}, headers=AS_USER)).status_code == 422


async def test_genre_filter(
    api: httpx.AsyncClient, catalogue: Search, clean_runtime: Runtime
) -> None:
    await execute(
        clean_runtime, "UPDATE search_documents SET genres = '{Science Fiction}'"
        " WHERE title IN ('Star Wars', 'Stargate')",
    )  # fmt: skip
    assert set(_titles(await _search(api, "star", genre="Science Fiction"))) == {
        "Star Wars", "Stargate",
    }  # fmt: skip


async def test_results_limited_to_visible_libraries(
    api: httpx.AsyncClient, catalogue: Search
) -> None:
    assert "Secret Matrix" not in _titles(await _search(api, "matrix"))
    assert "Secret Matrix" not in _titles(await _search(api, "secret matrix"))
    assert "Secret Matrix" in _titles(await _search(api, "matrix", headers=AS_ADMIN))
    hidden = await _search(api, "matrix", library_id=str(catalogue.private))
    assert hidden["items"] == []


async def test_incremental_index_adds_changes_and_removes(
    api: httpx.AsyncClient, catalogue: Search, clean_runtime: Runtime
) -> None:
    ctx = JobContext(clean_runtime, 0, "search.index", 1)
    new = await add_movie(clean_runtime, catalogue.shared, "Zyzzyva Returns")
    await index_job(ctx, {"items": [{"kind": "movie", "id": str(new)}]})
    assert _titles(await _search(api, "zyzzyva")) == ["Zyzzyva Returns"]
    assert _titles(await _search(api, "zyzzyba")) == ["Zyzzyva Returns"]
    await execute(clean_runtime, "UPDATE movies SET title = 'Quokka' WHERE id = :i", i=new)
    await index_job(ctx, {"items": [{"kind": "movie", "id": str(new)}]})
    assert _titles(await _search(api, "quokka")) == ["Quokka"]
    await execute(clean_runtime, "DELETE FROM movies WHERE id = :i", i=new)
    await index_job(ctx, {"items": [{"kind": "movie", "id": str(new)}]})
    assert _titles(await _search(api, "quokka")) == []


async def test_remembered_results_never_outlive_another_nodes_change(
    api: httpx.AsyncClient, catalogue: Search, clean_runtime: Runtime
) -> None:
    """A search asked again is answered from memory; once any node changes the catalogue
    (here an index of its own, as another node's worker has), the same search sees it."""
    first = await _search(api, "quokka")
    hits = _remembered(clean_runtime)
    calls: list[str] = []
    real = repo.search

    async def spy(session: Any, params: Any, filters: Any) -> Any:
        calls.append(params["phrase"])
        return await real(session, params, filters)

    repo.search = spy  # type: ignore[assignment]
    try:
        assert await _search(api, "quokka") == first and calls == []
        assert _remembered(clean_runtime) == hits + 1  # as /metrics reports it
        new = await add_movie(clean_runtime, catalogue.shared, "Quokka Island")
        other_node = PostgresSearchIndex(clean_runtime.db)
        async with clean_runtime.db.transaction() as session:
            CatalogTotals(clean_runtime.cache).changed(session)
            await other_node.index(session, [("movie", new)])
        assert _titles(await _search(api, "quokka")) == ["Quokka Island"]
        assert calls == ["quokka"]
    finally:
        repo.search = real  # type: ignore[assignment]


async def test_a_remembered_search_takes_no_database_connection(
    api: httpx.AsyncClient, catalogue: Search, clean_runtime: Runtime
) -> None:
    """Half the searches people make are asked again: those are answered without waiting for
    a connection from the pool (which busy servers hand out in turn). As an administrator:
    the test sign-in attaches no library scope to others, so theirs is read from the
    database, where a real sign-in's comes with the session."""
    first = await _search(api, "casablanca", AS_ADMIN)
    taken: list[object] = []

    def checkout(*args: object) -> None:
        taken.append(args)

    pool = clean_runtime.db.readers.sync_engine.pool
    event.listen(pool, "checkout", checkout)
    try:
        assert await _search(api, "casablanca", AS_ADMIN) == first
        assert taken == []
        await _search(api, "casablanka", AS_ADMIN)  # not asked before: run, on a connection
        assert len(taken) == 1
    finally:
        event.remove(pool, "checkout", checkout)


def _remembered(runtime: Runtime) -> float:
    metrics = runtime.metrics.render().decode()
    line = 'revenge_search_results_lookups_total{result="hit"} '
    return float(next(m.removeprefix(line) for m in metrics.splitlines() if m.startswith(line)))


async def test_rebuild_endpoint_is_admin_only(api: httpx.AsyncClient, catalogue: Search) -> None:
    rebuild = "/api/v1/admin/search/rebuild"
    assert (await api.post(rebuild, headers=AS_USER)).status_code == 403
    r = await api.post(rebuild, headers=AS_ADMIN)
    assert r.status_code == 202
    assert r.json()["job_id"] is not None


async def test_odd_input_is_safe(api: httpx.AsyncClient, catalogue: Search) -> None:
    """Quotes and query operators are plain text: nothing matches them, words around them do."""
    heat = _titles(await _search(api, "heat"))
    assert "Heat" in heat
    for q in ("'", "&|!():*", "\\", "   ", "%_"):
        body = await _search(api, q)
        assert body["items"] == [] and not any(body["totals"].values()), q
        assert _titles(await _search(api, f"{q} heat {q}")) == heat, q
    assert _titles(await _search(api, "heat' & |")) == heat


async def test_broad_query_reads_titles_in_order_and_caps_totals(
    api: httpx.AsyncClient, catalogue: Search, clean_runtime: Runtime
) -> None:
    general = await _search(api, "night", types="movie", limit=15)
    index = search_index(clean_runtime)
    assert isinstance(index, PostgresSearchIndex)
    saved = index.broad_titles, index.count_cap
    index.broad_titles, index.count_cap = 5, 10
    try:
        broad = await _search(api, "night", types="movie", limit=15)
    finally:
        index.broad_titles, index.count_cap = saved
    assert general["totals_exact"] and general["totals"]["movie"] > 10
    assert not broad["totals_exact"] and broad["totals"]["movie"] == 10
    titles = [t.lower() for t in _titles(broad)]
    assert len(titles) == 15 and all("night" in t.split() for t in titles)
    # Every title holds the word itself: the fewer other words, the closer the match.
    assert [len(t.split()) for t in titles] == sorted(len(t.split()) for t in titles)


async def test_both_broad_plans_answer_the_same_page(
    api: httpx.AsyncClient, catalogue: Search, clean_runtime: Runtime
) -> None:
    """Words as typed in few titles are read once and sorted; in many titles, read in title
    order: the page and totals are the same either way, and where the capped read is full
    (more titles than the word list knew of) the search answers by the second plan."""
    index = search_index(clean_runtime)
    assert isinstance(index, PostgresSearchIndex)
    saved = index.broad_titles, index.count_cap
    calls: list[bool] = []
    read: list[list[tuple[Any, int]]] = []
    real = repo.search_broad
    in_title_order = False

    async def spy(session: Any, params: Any, filters: Any, few: bool = False) -> Any:
        calls.append(few)
        rows = await real(session, params, filters, few and not in_title_order)
        read.append([(r["item_id"], r["type_total"]) for r in rows])
        return rows

    repo.search_broad = spy  # type: ignore[assignment]
    try:
        index.broad_titles, index.count_cap = 5, 1000
        few = await _search(api, "night", types="movie", limit=5)
        in_title_order = True
        # Typed otherwise, so that the search runs again rather than answer from memory.
        ordered = await _search(api, "Night", types="movie", limit=5)
        in_title_order = False
        index.count_cap = 2
        capped = await _search(api, "night n", types="movie", limit=15)
    finally:
        repo.search_broad = real  # type: ignore[assignment]
        index.broad_titles, index.count_cap = saved
    assert calls == [True, True, True, False]
    # The same candidates in the same order, the same totals.
    assert read[0] == read[1] and len(read[0]) > 5
    assert few["totals_exact"] and few["totals"] == ordered["totals"]
    assert few["totals"]["movie"] > 5 and _titles(few) == _titles(ordered)
    assert not capped["totals_exact"] and capped["totals"]["movie"] == 2


async def test_a_page_of_no_results_is_refused(api: httpx.AsyncClient, catalogue: Search) -> None:
    r = await api.get("/api/v1/search", params={"q": "heat", "limit": 0}, headers=AS_USER)
    assert r.status_code == 400, r.text
    assert r.json()["key"] == "limit"
    one = await api.get("/api/v1/search", params={"q": "crew", "limit": 1}, headers=AS_USER)
    assert one.status_code == 200 and len(one.json()["items"]) == 1


async def test_a_search_that_wants_no_totals_finds_the_same_page_without_counting(
    catalogue: Search, clean_runtime: Runtime
) -> None:
    """Subsonic and Jellyfin clients read only the hits of a one-kind search: a broad query
    then counts nothing, and its page is the counted search's."""
    index = search_index(clean_runtime)
    assert isinstance(index, PostgresSearchIndex)
    saved = index.broad_titles, index.count_cap
    index.broad_titles, index.count_cap = 5, 3  # "night" is broad, in title order
    try:
        async with clean_runtime.db.reading() as session:
            counted = await index.search(session, SearchQuery("night", ("movie",), limit=5), None)
            query = SearchQuery("night", ("movie",), limit=5, counted=False)
            uncounted = await index.search(session, query, None)
    finally:
        index.broad_titles, index.count_cap = saved
    assert counted.totals == {"movie": 3} and not counted.totals_exact
    assert uncounted.totals == {} and not uncounted.totals_exact
    assert len(uncounted.hits) == 5
    assert [h.item_id for h in uncounted.hits] == [h.item_id for h in counted.hits]


async def test_the_answer_is_what_its_model_writes(
    api: httpx.AsyncClient, catalogue: Search
) -> None:
    """The hits are written straight from the index's (`infra.rows_json`): the same bytes as
    the answer's model writes, under the same keys (`type` and `id`)."""
    r = await api.get(URL, params={"q": "star"}, headers=AS_USER)
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["items"] and body["groups"]
    hits = [SearchHitOut(**{k: v for k, v in i.items() if k not in ("type", "id")},
                         item_type=i["type"], item_id=i["id"]) for i in body["items"]]  # fmt: skip
    groups: dict[str, list[SearchHitOut]] = {}
    for hit in hits:
        groups.setdefault(hit.item_type, []).append(hit)
    answer = SearchOut(query="star", items=hits, totals=body["totals"],
                       totals_exact=body["totals_exact"], groups=groups)  # fmt: skip
    assert r.content == answer.model_dump_json(by_alias=True).encode()
