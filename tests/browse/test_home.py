"""The caller's home rows: recently added, continue watching, next up; and played by progress."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from revenge.runtime import Runtime
from revenge.testing.auth import USER
from revenge.testing.seed import (
    add_episode,
    add_library,
    add_movie,
    add_series,
    add_track,
    execute,
)
from tests.browse.conftest import AS_ADMIN, AS_USER, Libraries, give_duration

BASE = datetime(2026, 1, 1, tzinfo=UTC)


async def _progress(
    api: httpx.AsyncClient, kind: str, item: uuid.UUID, seconds: float
) -> dict[str, object]:
    url = f"/api/v1/items/{kind}/{item}/state"
    response = await api.patch(url, json={"position_seconds": seconds}, headers=AS_USER)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_recently_added_is_newest_first_across_modules_the_user_may_see(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    rt = clean_runtime
    await add_movie(rt, libs.shared, "Old Movie", created_at=BASE)
    await add_series(rt, libs.tv, "New Show", created_at=BASE + timedelta(days=2))
    await add_movie(rt, libs.private, "Hidden Movie", created_at=BASE + timedelta(days=3))
    music = await add_library(rt, "music", grant=(USER.user_id,))
    await add_track(rt, music, "Song", album="Newest Album")
    mine = (await api.get("/api/v1/me/recently-added", headers=AS_USER)).json()
    assert [(i["kind"], i["title"]) for i in mine] == [
        ("album", "Newest Album"), ("series", "New Show"), ("movie", "Old Movie"),
    ]  # fmt: skip
    admin = await api.get("/api/v1/me/recently-added", params={"limit": 2}, headers=AS_ADMIN)
    assert [i["title"] for i in admin.json()] == ["Newest Album", "Hidden Movie"]


async def test_continue_watching_lists_items_between_5_and_90_percent_newest_first(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries, tmp_path: Path
) -> None:
    rt = clean_runtime
    movies = {t: await add_movie(rt, libs.shared, t) for t in ("Barely", "Middle", "Later")}
    series = await add_series(rt, libs.tv, "Show")
    episode = await add_episode(rt, libs.tv, series, 1, 4, "Pilot")
    for item in movies.values():
        await give_duration(rt, tmp_path, libs.shared, "movie", item, 1000)
    await give_duration(rt, tmp_path, libs.tv, "episode", episode, 100)
    await _progress(api, "movie", movies["Barely"], 30)
    await _progress(api, "movie", movies["Middle"], 500)
    await _progress(api, "episode", episode, 40)
    await _progress(api, "movie", movies["Later"], 800)
    rows = (await api.get("/api/v1/me/continue-watching", headers=AS_USER)).json()
    assert [(r["title"], r["position_seconds"]) for r in rows] == [
        ("Later", 800), ("Pilot", 40), ("Middle", 500),
    ]  # fmt: skip
    assert rows[1]["series_id"] == str(series) and rows[1]["episode_number"] == 4
    assert rows[0]["duration_seconds"] == 1000
    # Another user's progress is theirs alone.
    assert (await api.get("/api/v1/me/continue-watching", headers=AS_ADMIN)).json() == []


async def test_progress_past_90_percent_marks_played_and_counts_one_play(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries, tmp_path: Path
) -> None:
    rt = clean_runtime
    movie = await add_movie(rt, libs.shared, "Heat")
    await give_duration(rt, tmp_path, libs.shared, "movie", movie, 1000)
    assert (await _progress(api, "movie", movie, 899))["played"] is False
    finished = await _progress(api, "movie", movie, 901)
    assert (finished["played"], finished["play_count"]) == (True, 1)
    assert finished["last_played_at"] is not None
    again = await _progress(api, "movie", movie, 950)
    assert again["play_count"] == 1  # the same viewing reported twice
    assert (await api.get("/api/v1/me/continue-watching", headers=AS_USER)).json() == []
    await _progress(api, "movie", movie, 100)  # watched again from the start
    assert (await _progress(api, "movie", movie, 990))["play_count"] == 2


async def test_continue_watching_hides_items_of_libraries_no_longer_granted(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries, tmp_path: Path
) -> None:
    rt = clean_runtime
    movie = await add_movie(rt, libs.shared, "Heat")
    await give_duration(rt, tmp_path, libs.shared, "movie", movie, 1000)
    await _progress(api, "movie", movie, 500)
    assert len((await api.get("/api/v1/me/continue-watching", headers=AS_USER)).json()) == 1
    await execute(rt, "DELETE FROM library_access WHERE library_id = :l", l=libs.shared)
    assert (await api.get("/api/v1/me/continue-watching", headers=AS_USER)).json() == []


async def _played(api: httpx.AsyncClient, episode: uuid.UUID) -> None:
    url = f"/api/v1/items/episode/{episode}/state"
    assert (await api.patch(url, json={"played": True}, headers=AS_USER)).is_success


async def test_next_up_is_the_first_unplayed_episode_after_the_furthest_played(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    rt = clean_runtime
    show = await add_series(rt, libs.tv, "Show")
    eps = {
        (s, n): await add_episode(rt, libs.tv, show, s, n, f"S{s}E{n}")
        for s, n in ((0, 1), (1, 1), (1, 2), (1, 3), (2, 1))
    }
    other = await add_series(rt, libs.tv, "Other")
    other_1 = await add_episode(rt, libs.tv, other, 1, 1, "Other 1")
    await add_episode(rt, libs.tv, other, 1, 2, "Other 2")
    await add_series(rt, libs.tv, "Untouched")

    async def titles() -> list[str]:
        rows = (await api.get("/api/v1/me/next-up", headers=AS_USER)).json()
        return [r["title"] for r in rows]

    assert await titles() == []
    await _played(api, eps[(1, 1)])
    await _played(api, eps[(1, 2)])
    assert await titles() == ["S1E3"]
    await _played(api, other_1)  # watched later, so listed first
    assert await titles() == ["Other 2", "S1E3"]
    await _played(api, eps[(1, 3)])
    assert await titles() == ["S2E1", "Other 2"]
    await _played(api, eps[(2, 1)])
    assert await titles() == ["Other 2"]  # specials are not "next"
    assert (await api.get("/api/v1/me/next-up", headers=AS_ADMIN)).json() == []


async def test_next_up_skips_episodes_in_libraries_not_granted(
    api: httpx.AsyncClient, clean_runtime: Runtime, libs: Libraries
) -> None:
    rt = clean_runtime
    show = await add_series(rt, libs.tv, "Show")
    first = await add_episode(rt, libs.tv, show, 1, 1, "One")
    await _played(api, first)
    # An episode filed in a library the user was not granted stays out of sight.
    await add_episode(rt, libs.private_tv, show, 1, 2, "Secret Two")
    assert (await api.get("/api/v1/me/next-up", headers=AS_USER)).json() == []
