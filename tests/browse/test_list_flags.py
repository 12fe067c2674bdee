"""Lists carry the caller's played flag, unplayed counts and a missing-file flag per row."""

from __future__ import annotations

from pathlib import Path

import httpx

from revenge.runtime import Runtime
from revenge.testing.seed import (
    add_episode,
    add_file,
    add_library,
    add_movie,
    add_podcast_episode,
    add_series,
    execute,
)
from tests.browse.conftest import AS_ADMIN, AS_USER, Libraries


async def _played(
    api: httpx.AsyncClient, kind: str, item_id: object, headers: dict[str, str]
) -> None:
    r = await api.patch(
        f"/api/v1/items/{kind}/{item_id}/state", json={"played": True}, headers=headers
    )
    assert r.status_code == 200, r.text


async def test_movie_list_shows_played_and_missing_per_caller(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries, tmp_path: Path
) -> None:
    rt = clean_runtime
    ids, files = {}, {}
    for title in ("Alien", "Brazil", "Casino"):
        ids[title] = await add_movie(rt, libs.shared, title)
        path = tmp_path / f"{title}.mkv"
        path.write_bytes(b"x")
        files[title] = await add_file(rt, libs.shared, path, item=("movie", ids[title]))
    await execute(
        rt, "UPDATE media_files SET missing_since = now() WHERE id = :i", i=files["Casino"]
    )
    await _played(api, "movie", ids["Alien"], AS_USER)

    rows = (await api.get("/api/v1/movies", headers=AS_USER)).json()["items"]
    flags = {r["title"]: (r["played"], r["missing"]) for r in rows}
    assert flags == {"Alien": (True, False), "Brazil": (False, False), "Casino": (False, True)}
    # Played is the caller's own: the admin has played nothing.
    rows = (await api.get("/api/v1/movies", headers=AS_ADMIN)).json()["items"]
    assert not any(r["played"] for r in rows if r["library_id"] == str(libs.shared))
    detail = (await api.get(f"/api/v1/movies/{ids['Casino']}", headers=AS_USER)).json()
    assert detail["missing"] is True and detail["files"][0]["missing"] is True


async def test_series_and_podcasts_carry_unplayed_counts(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    rt = clean_runtime
    series = await add_series(rt, libs.tv, "Lost")
    episodes = [await add_episode(rt, libs.tv, series, 1, n, f"E{n}") for n in (1, 2, 3)]
    await _played(api, "episode", episodes[0], AS_USER)

    listed = (await api.get("/api/v1/tv/series", headers=AS_USER)).json()["items"]
    assert [(s["title"], s["unplayed_count"]) for s in listed] == [("Lost", 2)]
    detail = (await api.get(f"/api/v1/tv/series/{series}", headers=AS_USER)).json()
    assert detail["unplayed_count"] == 2 and detail["seasons"][0]["unplayed_count"] == 2
    season = detail["seasons"][0]["id"]
    rows = (await api.get(f"/api/v1/tv/seasons/{season}/episodes", headers=AS_USER)).json()
    assert [e["played"] for e in rows] == [True, False, False]

    await add_podcast_episode(rt, await add_library(rt, "podcast"), "Pilot")
    shows = (await api.get("/api/v1/podcasts", headers=AS_ADMIN)).json()["items"]
    assert [(p["title"], p["unplayed_count"]) for p in shows] == [("Show", 1)]
