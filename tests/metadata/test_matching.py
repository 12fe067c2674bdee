"""Match confidence and decisions (pure functions)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from revenge.metadata.matching import (
    MatchQuery,
    count_score,
    decide,
    normalize_title,
    score,
    title_similarity,
)
from revenge.metadata.types import Candidate


def movie(pid: str, title: str, year: int | None, **kw: object) -> Candidate:
    return Candidate("tmdb", pid, "movie", title, year=year, **kw)  # type: ignore[arg-type]


def test_normalize_folds_case_accents_articles_and_punctuation() -> None:
    assert normalize_title("The Matrix") == "matrix"
    assert normalize_title("Amélie") == "amelie"
    assert normalize_title("Law & Order: SVU") == "law and order svu"
    assert normalize_title("Les Misérables") == "miserables"


def test_title_similarity() -> None:
    assert title_similarity("The Matrix", "Matrix") == 1.0
    assert title_similarity("Star Wars", "Star Wars: Episode IV") < 0.8
    assert title_similarity("The Matrix", "The Matrix Reloaded") < 0.75
    assert title_similarity("Amelie", "Amélie") == 1.0


def test_year_and_kind_weigh_in() -> None:
    query = MatchQuery("movie", "The Matrix", 1999)
    assert score(query, movie("603", "The Matrix", 1999)) == 1.0
    assert 0.9 < score(query, movie("603", "The Matrix", 2000)) < 1.0
    assert score(query, movie("1", "The Matrix", 2021)) < score(
        query, movie("603", "The Matrix", 1999)
    )
    series = Candidate("tmdb", "1", "series", "The Matrix", year=1999)
    assert score(query, series) == 0.0


def test_episode_counts_separate_remakes() -> None:
    query = MatchQuery("series", "Shameless", None, episode_count=134)
    us = Candidate("tmdb", "34307", "series", "Shameless", year=2011, episode_count=134)
    uk = Candidate("tmdb", "1906", "series", "Shameless", year=2004, episode_count=139)
    short = Candidate("tmdb", "9", "series", "Shameless", year=2020, episode_count=10)
    assert score(query, short) < score(query, us)
    assert score(query, uk) == score(query, us)  # both long enough: the year must decide
    assert count_score(134, 139) == 1.0 and count_score(134, 10) == 0.0


def test_decide_matches_a_clear_winner() -> None:
    decision = decide(
        MatchQuery("movie", "The Matrix", 1999),
        [movie("604", "The Matrix Reloaded", 2003), movie("603", "The Matrix", 1999)],
    )
    assert decision.status == "matched" and decision.best is not None
    assert decision.best.candidate.provider_id == "603"


def test_decide_leaves_close_calls_for_a_person() -> None:
    decision = decide(
        MatchQuery("series", "The Office", None),
        [
            Candidate("tmdb", "2316", "series", "The Office", year=2005),
            Candidate("tmdb", "2996", "series", "The Office", year=2001),
        ],
    )
    assert decision.status == "ambiguous"
    assert "2005" in decision.reason and "2001" in decision.reason


def test_decide_refuses_poor_matches() -> None:
    decision = decide(MatchQuery("movie", "Heat", 1995), [movie("1", "Cold Mountain", 2003)])
    assert decision.status == "unmatched" and "below" in decision.reason
    assert decide(MatchQuery("movie", "Heat", 1995), []).status == "unmatched"


def test_artist_mismatch_lowers_confidence() -> None:
    query = MatchQuery("album", "Greatest Hits", None, artist="Queen")
    queen = Candidate("musicbrainz", "a", "album", "Greatest Hits", artist="Queen")
    abba = Candidate("musicbrainz", "b", "album", "Greatest Hits", artist="ABBA")
    assert decide(query, [queen, abba]).best.candidate.provider_id == "a"  # type: ignore[union-attr]
    assert score(query, abba) < 0.75


@settings(max_examples=60)
@given(st.text(max_size=40), st.text(max_size=40), st.integers(1900, 2030) | st.none())
def test_scores_stay_between_zero_and_one(title: str, other: str, year: int | None) -> None:
    value = score(MatchQuery("movie", title, year), movie("1", other, 2000))
    assert 0.0 <= value <= 1.0
