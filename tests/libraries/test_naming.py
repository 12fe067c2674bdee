"""Unit tests for the media path name parser beyond the conformance corpus."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revenge.libraries.naming import (
    EpisodeInfo,
    MovieInfo,
    clean_title,
    extra_folder_type,
    is_multi_disc_folder,
    parse_episode,
    parse_movie,
    parse_season_folder,
    parse_series_name,
    split_extra_suffix,
)


def test_movie_in_its_own_folder() -> None:
    info = parse_movie("/movies/The Matrix (1999)/The Matrix (1999) [1080p].mkv")
    assert (info.title, info.year, info.container) == ("The Matrix", 1999, "mkv")


def test_scene_release_name() -> None:
    info = parse_movie("Avatar.2009.1080p.BluRay.x264.mkv")
    assert (info.title, info.year, info.display_title) == ("Avatar", 2009, "Avatar")


@pytest.mark.parametrize(
    ("path", "ids"),
    [
        ("The Matrix (1999) {tmdb-603}.mkv", {"tmdb": "603"}),
        ("The Matrix (1999) [imdbid-tt0133093].mkv", {"imdb": "tt0133093"}),
        ("Show (2005) [tvdbid=78804] [tmdbid-57243].mkv", {"tvdb": "78804", "tmdb": "57243"}),
        ("/movies/The Matrix (1999) [imdbid-tt0133093]/movie.mkv", {"imdb": "tt0133093"}),
    ],
)
def test_provider_ids(path: str, ids: dict[str, str]) -> None:
    info = parse_movie(path)
    assert dict(info.provider_ids) == ids
    assert not set("[]{}") & set(info.title)


@pytest.mark.parametrize(
    ("path", "extra_type"),
    [
        ("Movie (2010)-trailer.mkv", "Trailer"),
        ("Movie (2010)_featurette2.mkv", "Featurette"),
        ("Movie (2010)-behindthescenes.mkv", "BehindTheScenes"),
        ("Movie (2010)-deleted.mkv", "DeletedScene"),
        ("Movie.2010.sample.mkv", "Sample"),
        ("trailer.mkv", "Trailer"),
        ("The.Big.Short.mkv", None),
        ("The Big Short.mkv", None),
    ],
)
def test_extra_suffixes(path: str, extra_type: str | None) -> None:
    assert parse_movie(path).extra_type == extra_type


def test_extra_suffix_is_split_off_the_title() -> None:
    assert split_extra_suffix("Movie (2010)-trailer") == ("Movie (2010)", "Trailer")
    assert parse_movie("Movie (2010)-trailer.mkv").title == "Movie"


@pytest.mark.parametrize(
    ("path", "title", "part"),
    [
        ("Movie (2010) cd1.avi", "Movie", 1),
        ("Movie (2010) - part2.mkv", "Movie", 2),
        ("Movie.2010.disc2.mkv", "Movie", 2),
        ("Movie-cd b.avi", "Movie", 2),
        ("Harry Potter and the Deathly Hallows Part 2 (2011).mkv", None, None),
        ("Harry Potter and the Deathly Hallows Part 2.mkv", None, None),
    ],
)
def test_stack_parts(path: str, title: str | None, part: int | None) -> None:
    info = parse_movie(path)
    assert info.part == part
    if title is not None:
        assert info.title == title
    else:
        assert info.title.endswith("Part 2")


@pytest.mark.parametrize(
    ("path", "is_3d", "layout"),
    [
        ("Avatar (2009) 3D HSBS.mkv", True, "HSBS"),
        ("Avatar (2009).3D.MVC.mkv", True, "MVC"),
        ("Avatar (2009) [3D] [HTAB].mkv", True, "HTAB"),
        ("Avatar 3D SBS.mkv", True, "SBS"),
        ("Avatar (2009) 3D.mkv", True, None),
        ("Step Up 3D (2010).mkv", False, None),
        ("Qui ou quoi (2010).mkv", False, None),
    ],
)
def test_3d(path: str, is_3d: bool, layout: str | None) -> None:
    info = parse_movie(path)
    assert (info.is_3d, info.format_3d) == (is_3d, layout)


@pytest.mark.parametrize(
    ("path", "version"),
    [
        ("Movie (2010) - 1080p.mkv", "1080p"),
        ("Movie (2010) - Director's Cut.mkv", "Director's Cut"),
        ("Movie (2010).mkv", None),
        ("The Wolf of Wall Street - 2 (2013).mkv", None),
    ],
)
def test_versions(path: str, version: str | None) -> None:
    info = parse_movie(path)
    assert info.version == version
    assert info.year is not None


def test_name_starting_with_dash() -> None:
    info = parse_movie("-Movie (2010).mkv")
    assert (info.title, info.year) == ("Movie", 2010)
    assert parse_movie("-trailer.mkv").extra_type == "Trailer"
    assert parse_episode("-S01E02.mkv") == EpisodeInfo(season=1, episode=2)
    assert clean_title("-") is None


def test_future_and_leading_numbers_are_not_years() -> None:
    assert parse_movie("Blade Runner 2049.mkv") == MovieInfo(
        title="Blade Runner 2049", display_title="Blade Runner 2049", container="mkv"
    )
    assert parse_movie("2001 A Space Odyssey (1968).mkv").title == "2001 A Space Odyssey"
    assert parse_movie("1917.mkv").year is None


@pytest.mark.parametrize(
    ("path", "series", "season", "episode", "ending"),
    [
        (
            "/tv/Breaking Bad/Season 01/Breaking Bad - S01E01 - Pilot.mkv",
            "Breaking Bad",
            1,
            1,
            None,
        ),
        (
            "/tv/The Office/Season 2/The Office - s02e01-e02 - The Dundies.mkv",
            "The Office",
            2,
            1,
            2,
        ),
        ("Show.Name.S02E05.1080p.WEB.H264-GRP.mkv", "Show.Name", 2, 5, None),
        (
            "/anime/One Piece/[SubsPlease] One Piece - 1071 (1080p) [ABCD1234].mkv",
            "One Piece",
            None,
            1071,
            None,
        ),
        ("/anime/Show/[Group] Show - 01v2 [1080p].mkv", "Show", None, 1, None),
        ("/tv/Show/Season 3/Show 0301 title.mkv", "Show", 3, 1, None),
        ("/tv/Show/Season 1/Show - Episode 5.mkv", "Show", 1, 5, None),
        ("Show 1x05 [1920x1080].mkv", "Show", 1, 5, None),
    ],
)
def test_episodes(
    path: str, series: str, season: int | None, episode: int, ending: int | None
) -> None:
    info = parse_episode(path)
    assert (info.series, info.season, info.episode, info.ending_episode) == (
        series,
        season,
        episode,
        ending,
    )


def test_absolute_and_daily_episodes() -> None:
    assert parse_episode("/anime/Case Closed/Case Closed - 317.mkv").absolute_episode == 317
    assert parse_episode("/tv/Show/Season 2/Show - 05.mkv").absolute_episode is None
    daily = parse_episode("/tv/The Daily Show/The Daily Show 2019-03-05 Guest.mkv")
    assert daily.is_by_date
    assert (daily.series, daily.year, daily.month, daily.day) == ("The Daily Show", 2019, 3, 5)


def test_folders() -> None:
    assert parse_season_folder("/tv/Show/Specials").season == 0
    assert parse_season_folder("/tv/Show/Saison 3").season == 3
    assert not parse_season_folder("/movies/Alien Collection/2").is_season_folder
    assert parse_series_name("/tv/Doctor.Who.2005.S01.1080p.BluRay") == "Doctor Who 2005"
    assert extra_folder_type("/movies/Movie (2010)/Behind The Scenes") == "BehindTheScenes"
    assert extra_folder_type("/movies/Movie (2010)/Deleted Scenes") == "DeletedScene"
    assert is_multi_disc_folder("/music/Artist/Album/CD2")
    assert not is_multi_disc_folder("/music/Artist/Greatest Hits Vol 2")


def test_clean_title_keeps_clean_names() -> None:
    assert clean_title("Crouching.Tiger.Hidden.Dragon.2000.1080p.mkv") == (
        "Crouching.Tiger.Hidden.Dragon.2000"
    )
    assert clean_title("Internal Affairs.mkv") is None


_EXTRA_TYPES = {
    "Trailer",
    "Featurette",
    "BehindTheScenes",
    "DeletedScene",
    "Interview",
    "Scene",
    "Sample",
    "Short",
    "Clip",
    "ThemeSong",
    "ThemeVideo",
    "Unknown",
}

_FRAGMENTS = st.sampled_from(
    [
        "S01E02",
        "1x05",
        "-",
        " - ",
        ".",
        "_",
        "[",
        "]",
        "(",
        ")",
        "{tmdb-",
        "}",
        "2010",
        "1080p",
        "cd1",
        "part",
        "3D",
        "HSBS",
        "trailer",
        "Season",
        "E",
        "x",
        "/",
        "Movie",
        "\uff10",
        "\u0661\u0662",
        "\u3000",
        "\u2013",
        "999999999999",
        "-e",
        "v2",
        "0807",
        ".mkv",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.lists(_FRAGMENTS, max_size=12).map("".join)))
def test_parsers_never_raise(text: str) -> None:
    assert isinstance(parse_movie(text), MovieInfo)
    assert isinstance(parse_episode(text), EpisodeInfo)
    assert isinstance(parse_episode(text, is_directory=True), EpisodeInfo)
    assert isinstance(parse_series_name(text), str)
    assert isinstance(parse_season_folder(text).is_season_folder, bool)
    assert clean_title(text) != ""
    assert extra_folder_type(text) in {None, *_EXTRA_TYPES}
    assert isinstance(is_multi_disc_folder(text), bool)
