"""A podcast show by id, and its episodes in the order asked for."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx

from revenge.runtime import Runtime
from revenge.testing.auth import USER
from revenge.testing.seed import add_library, add_podcast_episode, execute
from tests.browse.conftest import AS_ADMIN, AS_USER


async def _show(runtime: Runtime, library_id: uuid.UUID) -> str:
    """A show with three dated episodes and an undated one, inserted out of order."""
    first = await add_podcast_episode(runtime, library_id, "Middle")
    rows = await execute(runtime, "SELECT podcast_id FROM podcast_episodes WHERE id = :i", i=first)
    podcast_id = rows[0]["podcast_id"]
    for title in ("Newest", "Oldest", "Undated"):
        await execute(
            runtime,
            "INSERT INTO podcast_episodes (library_id, group_key, podcast_id, title)"
            " VALUES (:l, :k, :p, :t)",
            l=library_id, k=uuid.uuid4().hex, p=podcast_id, t=title,
        )  # fmt: skip
    for title, day in (("Newest", 30), ("Middle", 20), ("Oldest", 10)):
        await execute(
            runtime,
            "UPDATE podcast_episodes SET published_on = :d WHERE title = :t AND podcast_id = :p",
            d=dt.date(2026, 11, day), t=title, p=podcast_id,
        )  # fmt: skip
    await execute(
        runtime, "UPDATE podcasts SET description = 'About things' WHERE id = :p", p=podcast_id
    )
    return str(podcast_id)


async def test_show_by_id_and_episode_order(api: httpx.AsyncClient, clean_runtime: Runtime) -> None:
    shared = await add_library(clean_runtime, "podcast", grant=(USER.user_id,))
    private = await add_library(clean_runtime, "podcast")
    show = await _show(clean_runtime, shared)
    hidden = await _show(clean_runtime, private)

    found = await api.get(f"/api/v1/podcasts/{show}", headers=AS_USER)
    assert found.status_code == 200, found.text
    body = found.json()
    assert (body["title"], body["episode_count"]) == ("Show", 4)
    assert body["description"] == "About things"
    assert (await api.get(f"/api/v1/podcasts/{hidden}", headers=AS_USER)).status_code == 404
    assert (await api.get(f"/api/v1/podcasts/{hidden}", headers=AS_ADMIN)).status_code == 200
    assert (await api.get(f"/api/v1/podcasts/{uuid.uuid4()}", headers=AS_ADMIN)).status_code == 404

    url = f"/api/v1/podcasts/{show}/episodes"

    async def titles(**params: str) -> list[str]:
        response = await api.get(url, params=params, headers=AS_USER)
        assert response.status_code == 200, response.text
        return [e["title"] for e in response.json()["items"]]

    assert await titles() == ["Newest", "Middle", "Oldest", "Undated"]
    assert await titles(order="desc") == ["Newest", "Middle", "Oldest", "Undated"]
    assert await titles(order="asc") == ["Oldest", "Middle", "Newest", "Undated"]
    assert await titles(order="asc", limit="2", offset="1") == ["Middle", "Newest"]
