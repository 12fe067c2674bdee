"""Fixtures for playlist tests: three users, a shared and a private library with items."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from revenge.identity import Principal
from revenge.runtime import Runtime
from revenge.testing.auth import USER, header_auth
from revenge.testing.seed import (
    OTHER_USER,
    add_audiobook,
    add_episode,
    add_library,
    add_movie,
    add_podcast_episode,
    add_series,
    add_track,
    add_users,
)

AS_ADMIN = {"x-test-user": "admin"}
AS_USER = {"x-test-user": "user"}
AS_OTHER = {"x-test-user": "other"}
OTHER = Principal(OTHER_USER, "other", "user")


@dataclass
class Catalogue:
    shared: uuid.UUID
    private: uuid.UUID
    movies: list[uuid.UUID]
    episode: uuid.UUID
    hidden_movie: uuid.UUID
    track: uuid.UUID
    audiobook: uuid.UUID
    podcast_episode: uuid.UUID


@pytest.fixture
async def api(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> AsyncIterator[httpx.AsyncClient]:
    await add_users(clean_runtime)
    with header_auth(clean_runtime) as auth:
        auth.principals["other"] = OTHER
        yield client


@pytest.fixture
async def catalogue(api: httpx.AsyncClient, clean_runtime: Runtime) -> Catalogue:
    """`shared` is granted to USER and OTHER; `private` to nobody (admins see it)."""
    rt = clean_runtime
    shared = await add_library(rt, "movie", grant=(USER.user_id, OTHER_USER))
    private = await add_library(rt, "movie")
    movies = [await add_movie(rt, shared, t) for t in ("Alien", "Brazil", "Casino", "Dune")]
    series = await add_series(rt, shared, "Lost")
    episode = await add_episode(rt, shared, series, 1, 1, "Pilot")
    hidden = await add_movie(rt, private, "Secret Film")
    track = await add_track(rt, shared, "Yesterday", artist="The Beatles")
    book = await add_audiobook(rt, shared, "Dracula", chapters=("One", "Two", "Three"))
    pod = await add_podcast_episode(rt, shared, "Episode 1", show="Radiolab")
    return Catalogue(shared, private, movies, episode, hidden, track, book, pod)
