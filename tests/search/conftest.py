"""A realistic catalogue for search: known titles among hundreds of generated ones."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field

import pytest

from revenge.infra.jobs.context import JobContext
from revenge.runtime import Runtime
from revenge.search.jobs import index as index_job
from revenge.testing.auth import USER
from revenge.testing.seed import (
    add_audiobook,
    add_episode,
    add_library,
    add_movie,
    add_series,
    add_track,
    execute,
)
from tests.playlists.conftest import api

__all__ = ["api"]

WORDS = (
    "Dark", "Night", "River", "Silent", "Golden", "Lost", "City", "Last", "Kingdom", "Blue",
    "Iron", "Red", "Wild", "Broken", "Crimson", "Hidden", "Secret", "Winter", "Summer", "Fire",
    "Shadow", "Light", "Ocean", "Storm", "Dream", "Empire", "Ghost", "Stone", "Glass", "Paper",
    "Moon", "Sun", "Wolf", "Dragon", "Garden", "Road", "House", "Machine", "Heart", "Echo",
)  # fmt: skip


NO_ID = uuid.UUID(int=0)


@dataclass
class Search:
    movies: dict[str, uuid.UUID] = field(default_factory=dict)
    shared: uuid.UUID = NO_ID
    private: uuid.UUID = NO_ID
    beatles_track: uuid.UUID = NO_ID


KNOWN = [
    ("The Matrix", 1999, "A hacker learns the truth about reality."),
    ("The Matrix Reloaded", 2003, "Neo and the rebels fight on."),
    ("Star Wars", 1977, "A farm boy joins a rebellion in space."),
    ("Star Trek", 2009, "A young crew boards the Enterprise."),
    ("Stargate", 1994, "An ancient ring opens a path to another world."),
    ("Starship Troopers", 1997, "Soldiers fight giant bugs."),
    ("Amélie", 2001, "A shy waitress in Montmartre decides to change lives."),
    ("Léon", 1994, "A hitman takes in a girl."),
    ("Heat", 1995, "A detective hunts a crew of professional thieves in Los Angeles."),
    ("Ocean's Eleven", 2001, "A crew plans a casino heist."),
    ("The Godfather", 1972, "The aging patriarch of a crime dynasty."),
    ("Casablanca", 1942, "A nightclub owner in wartime Morocco."),
]


@pytest.fixture
async def catalogue(api: object, clean_runtime: Runtime) -> Search:
    rt = clean_runtime
    found = Search()
    found.shared = await add_library(rt, "movie", grant=(USER.user_id,))
    found.private = await add_library(rt, "movie")
    music = await add_library(rt, "music", grant=(USER.user_id,))
    tv = await add_library(rt, "tv", grant=(USER.user_id,))
    for title, year, overview in KNOWN:
        found.movies[title] = await add_movie(rt, found.shared, title, year=year, overview=overview)
    found.movies["Secret Matrix"] = await add_movie(rt, found.private, "Secret Matrix", year=2020)
    rng = random.Random(11)
    values = []
    for n in range(400):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) + f" {n}"
        about = rng.choice(WORDS).lower()
        values.append(f"('{uuid.uuid4()}', '{found.shared}', 'g{n}', '{title}', '{title.lower()}',"
                      f" {1950 + n % 70}, 'A story about {about}s.')")  # fmt: skip
    await execute(rt, "INSERT INTO movies (id, library_id, group_key, title, sort_title, year,"
                  " overview) VALUES " + ", ".join(values))  # fmt: skip
    found.beatles_track = await add_track(rt, music, "Yesterday", artist="The Beatles",
                                          album="Help!")  # fmt: skip
    await add_track(rt, music, "Starman", artist="David Bowie", album="Ziggy Stardust")
    series = await add_series(rt, tv, "Star Trek: The Next Generation", year=1987)
    await add_episode(rt, tv, series, 1, 1, "Encounter at Farpoint")
    await add_audiobook(rt, music, "Dune", chapters=("One",))
    await index_job(JobContext(rt, 0, "search.index", 1), {"rebuild": True})
    return found
