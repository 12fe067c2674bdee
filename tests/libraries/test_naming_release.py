"""Release-name classes beyond the corpora: one case of our own per class of name."""

from __future__ import annotations

import pytest

from revenge.catalog.music.placement import plan_track
from revenge.libraries.naming import (
    display_case,
    nfc,
    numbered_title,
    parse_episode,
    parse_movie,
    parse_season_folder,
    parse_season_pack,
    parse_series_name,
)
from revenge.testing.realnames import normalise


@pytest.mark.parametrize(
    ("name", "series", "season", "episode", "ending"),
    [
        # Numbers that belong to the title stay in it.
        ("The.100.S02E03.720p.HDTV.mkv", "The 100", 2, 3, None),
        ("The.100.210.720p.HDTV.mkv", "The 100", 2, 10, None),
        ("9-1-1.304.720p.mkv", "9-1-1", 3, 4, None),
        ("1923.S01E02.mkv", "1923", 1, 2, None),
        ("Doctor.Who.2005.S01E01.mkv", "Doctor Who 2005", 1, 1, None),
        # Packed season and episode, and two packed episodes.
        ("Lost.Girl.412.hdtv.mkv", "Lost Girl", 4, 12, None),
        ("Grimm.10506.hdtv-lol.mp4", "Grimm", 1, 5, 6),
        ("Some.Show.201.202.720p.mkv", "Some Show", 2, 1, 2),
        # Season and episode in separate tokens and in other languages.
        ("Show.Name.S01.Ep06.720p.mkv", "Show Name", 1, 6, None),
        ("Show S05 E12.mkv", "Show", 5, 12, None),
        ("Show Name Season 2 Episode 7 720p.mkv", "Show Name", 2, 7, None),
        ("Serie.Se.2.afl.4.mkv", "Serie", 2, 4, None),
        ("La Serie - Temporada 1 [HDTV][Cap.105].mkv", "La Serie", 1, 5, None),
        ("Serie - Staffel 3 - Folge 4.mkv", "Serie", 3, 4, None),
        # Repeated and ranged markers.
        ("Show 2x04.2x05.mkv", "Show", 2, 4, 5),
        ("Show 8x01_02.mkv", "Show", 8, 1, 2),
        ("Show.S03E01.S03E02.720p.mkv", "Show", 3, 1, 2),
        ("Show S02E09 E10 HDTV.mkv", "Show", 2, 9, 10),
        # Hashes and picture sizes are never episodes.
        ("[Grp] Anime Title 1004 [A1B2C3D4].mkv", "Anime Title", None, 1004, None),
        ("[Grp].Title.Two.07.[1920x1080].[0F1E2D3C].mkv", "Title Two", None, 7, None),
    ],
)
def test_episode_classes(
    name: str, series: str, season: int | None, episode: int, ending: int | None
) -> None:
    info = parse_episode(name)
    assert normalise(info.series) == normalise(series)
    assert (info.season, info.episode, info.ending_episode) == (season, episode, ending)


@pytest.mark.parametrize(
    ("name", "series", "absolute", "ending"),
    [
        ("[Grp] Long Anime - 01 - 119 [1080p] [Batch].mkv", "Long Anime", 1, None),
        ("[Grp] Long Anime (101-150) (WEB 1080p)", "Long Anime", 101, 150),
        ("[Grp] Long Anime - 01~12 [1080p]", "Long Anime", 1, 12),
        ("[字幕组][中文标题][Latin Title][08][1080P]", "Latin Title", 8, None),
        ("[字幕组] 中文标题 / Latin Title - 11 [1080p]", "Latin Title", 11, None),
        ("【字幕组】【中文标题_Latin Title】【第13话】", "Latin Title", 13, None),
        ("[Grp] Eyeshield 21 - 101 [480p].mkv", "Eyeshield 21", 101, None),
        ("[Grp] Some Title [Subtitle] - 03 [720p].mkv", "Some Title [Subtitle]", 3, None),
        ("[Grp] Some Title [HDTV] - 04 [720p].mkv", "Some Title", 4, None),
    ],
)
def test_anime_classes(name: str, series: str, absolute: int, ending: int | None) -> None:
    info = parse_episode(name, whole_name=True)
    assert normalise(info.series) == normalise(series)
    assert info.absolute_episode == absolute
    if ending is not None:
        assert info.ending_episode == ending


@pytest.mark.parametrize(
    ("name", "series", "date"),
    [
        ("Talk.Show.2019.03.21.720p.mkv", "Talk Show", (2019, 3, 21)),
        ("Talk.Show.03.21.2019.720p.mkv", "Talk Show", (2019, 3, 21)),
        ("Talk Show 21-03-2019.mkv", "Talk Show", (2019, 3, 21)),
        ("Talk.Show.2019.21.03.mkv", "Talk Show", (2019, 3, 21)),
        ("Talk Show 20190321 Ep123.mkv", "Talk Show", (2019, 3, 21)),
        ("Talk.Show.190321.720p.mkv", "Talk Show", (2019, 3, 21)),
        ("Talk Show 21st Mar 2019.mkv", "Talk Show", (2019, 3, 21)),
        ("2049.Talk.Show.2019.03.21.mkv", "2049 Talk Show", (2019, 3, 21)),
    ],
)
def test_dates_in_every_order(name: str, series: str, date: tuple[int, int, int]) -> None:
    info = parse_episode(name)
    assert normalise(info.series) == normalise(series)
    assert (info.year, info.month, info.day) == date


def test_mini_series_parts_and_folder_numbers() -> None:
    assert parse_episode("Mini.Series.Part.Three.720p.mkv").episode == 3
    assert parse_episode("Mini.Series.Part.4.720p.mkv").episode == 4
    assert parse_episode("Mini.Series.2of6.720p.mkv").episode == 2
    folder = parse_episode("/dl/Good.Show.S03E07.720p.WEB/8f2a9c01d.mkv")
    assert (folder.season, folder.episode) == (3, 7)
    anime = parse_episode("/dl/Anime Title 921-928 [1080p]/923.mkv")
    assert (normalise(anime.series), anime.absolute_episode) == ("anime title", 923)


@pytest.mark.parametrize(
    ("folder", "season"),
    [
        ("Staffel 2", 2), ("Temporada 3", 3), ("Saison 4", 4), ("시즌 2", 2), ("2기", 2),
        ("シーズン3", 3), ("第2期", 2), ("第二季", 2), ("第十一季", 11),
    ],
)  # fmt: skip
def test_season_folders_in_other_languages(folder: str, season: int) -> None:
    assert parse_season_folder(f"/tv/Show/{folder}").season == season
    assert parse_series_name(f"/tv/Show/{folder}") == "Show"


@pytest.mark.parametrize(
    ("name", "series", "season"),
    [
        ("Good.Show.S02.1080p.WEB-DL-GRP", "Good Show", 2),
        ("Good Show (Season 3) 720p", "Good Show", 3),
        ("Good Show S01 Complete 1080p", "Good Show", 1),
        ("Good.Show.2019.S04.720p", "Good Show 2019", 4),
        ("Good Show - Temporada 2", "Good Show", 2),
    ],
)
def test_season_packs(name: str, series: str, season: int) -> None:
    pack = parse_season_pack(name)
    assert (normalise(pack.series), pack.season) == (normalise(series), season)


@pytest.mark.parametrize(
    ("name", "title", "year"),
    [
        ("Das.Boot.1981.German.DL.1080p.BluRay.mkv", "Das Boot", 1981),
        ("Amelie.FRENCH.720p.BluRay.x264.mkv", "Amelie", None),
        ("The.French.Dispatch.2021.1080p.mkv", "The French Dispatch", 2021),
        ("Dune.2021.IMAX.2160p.WEB.mkv", "Dune", 2021),
        ("www.Example.org - Heat.1995.720p.mkv", "Heat", 1995),
        ("(2001) Spirited Away.mkv", "Spirited Away", 2001),
        ("Blade Runner 2049 (2017).mkv", "Blade Runner 2049", 2017),
        ("News.Special.2019.03.21.720p.mkv", "News Special", None),
    ],
)
def test_movie_release_words(name: str, title: str, year: int | None) -> None:
    movie = parse_movie(name)
    assert (normalise(movie.title), movie.year) == (normalise(title), year)


def test_display_names() -> None:
    assert display_case("pulp_fiction") == "Pulp Fiction"
    assert display_case("the lord of the rings") == "The Lord of the Rings"
    assert display_case("iCarly") == "iCarly"
    assert display_case("Le\u0301on") == "L\u00e9on" == nfc("Le\u0301on")
    assert numbered_title("Tech Talk 67 - Rust", "Tech Talk") == (67, "Rust")
    assert numbered_title("067. Rust") == (67, "Rust")
    assert numbered_title("Top 10 Albums") == (None, "Top 10 Albums")


def test_artist_credits_split() -> None:
    duet = plan_track(("a.mp3",), {"artist": "Ann ft. Bo", "album_artist": "Ann"})
    assert (duet.artist, duet.artists) == ("Ann ft. Bo", ["Ann", "Bo"])
    tagged = plan_track(("a.mp3",), {"artist": "Ann", "artists": ["Ann", "Bo", "Cy"]})
    assert (tagged.artist, tagged.artists) == ("Ann, Bo & Cy", ["Ann", "Bo", "Cy"])
    act = plan_track(
        ("Earth, Wind & Fire", "Album", "01 - Song.mp3"), {"artist": "Earth, Wind & Fire"}
    )
    assert act.artists == ["Earth, Wind & Fire"]
