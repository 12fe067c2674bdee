"""Field-level precedence: user locks, then local sources, then providers in order."""

from __future__ import annotations

from revenge.metadata.merge import SourcedMetadata, merge
from revenge.metadata.types import Artwork, ExternalIds, ItemMetadata


def test_local_wins_for_fields_it_sets_and_remote_fills_the_rest() -> None:
    nfo = ItemMetadata(
        "movie",
        title="Matrix (Director's title)",
        ids=ExternalIds(imdb="tt0133093"),
        artwork=(Artwork("poster", "poster.jpg"),),
    )
    tmdb = ItemMetadata(
        "movie",
        title="The Matrix",
        year=1999,
        overview="Remote plot",
        genres=("Action",),
        ids=ExternalIds(tmdb="603", imdb="tt9999999"),
        artwork=(Artwork("poster", "https://x/p.jpg"), Artwork("backdrop", "https://x/b.jpg")),
    )
    result = merge(
        "movie", [SourcedMetadata("tmdb", tmdb), SourcedMetadata("nfo", nfo, local=True)]
    )
    meta = result.metadata
    assert meta.title == "Matrix (Director's title)" and result.provenance["title"] == "nfo"
    assert meta.overview == "Remote plot" and result.provenance["overview"] == "tmdb"
    assert meta.ids.as_dict() == {"tmdb": "603", "imdb": "tt0133093"}
    assert [a.url for a in meta.artwork] == ["poster.jpg", "https://x/p.jpg", "https://x/b.jpg"]


def test_providers_follow_their_configured_order() -> None:
    first = ItemMetadata("series", overview="first")
    second = ItemMetadata("series", overview="second", tagline="only second")
    meta = merge(
        "series", [SourcedMetadata("tmdb", first), SourcedMetadata("tvdb", second)]
    ).metadata
    assert (meta.overview, meta.tagline) == ("first", "only second")


def test_locked_fields_keep_the_current_value() -> None:
    current = ItemMetadata("movie", title="My Title", overview="My words", genres=("Mine",))
    remote = ItemMetadata("movie", title="The Matrix", overview="Remote", genres=("Action",))
    result = merge(
        "movie",
        [SourcedMetadata("tmdb", remote)],
        locked=frozenset({"title", "genres"}),
        current=current,
    )
    assert result.metadata.title == "My Title" and result.metadata.genres == ("Mine",)
    assert result.metadata.overview == "Remote"
    assert result.provenance["title"] == "user"


def test_empty_values_do_not_count_as_set() -> None:
    local = ItemMetadata("movie", title="", genres=())
    remote = ItemMetadata("movie", title="The Matrix", genres=("Action",))
    meta = merge(
        "movie", [SourcedMetadata("nfo", local, True), SourcedMetadata("tmdb", remote)]
    ).metadata
    assert meta.title == "The Matrix" and meta.genres == ("Action",)
