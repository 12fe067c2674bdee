"""Kodi NFO files and ids in folder names."""

from __future__ import annotations

from pathlib import Path

import pytest

from revenge.metadata.providers.nfo import NfoError, NfoSource, parse_nfo
from revenge.metadata.service import ids_from_path

MOVIE_NFO = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<movie>
  <title>The Matrix</title>
  <originaltitle>The Matrix</originaltitle>
  <sorttitle>Matrix 1</sorttitle>
  <year>1999</year>
  <plot>A hacker learns the truth about his reality.</plot>
  <tagline>Welcome to the Real World.</tagline>
  <runtime>136</runtime>
  <mpaa>Rated R</mpaa>
  <uniqueid type="imdb" default="true">tt0133093</uniqueid>
  <uniqueid type="tmdb">603</uniqueid>
  <genre>Action</genre>
  <genre>Science Fiction</genre>
  <studio>Warner Bros.</studio>
  <director>Lana Wachowski</director>
  <credits>Lilly Wachowski</credits>
  <thumb aspect="poster">poster.jpg</thumb>
  <thumb aspect="clearlogo">https://assets.fanart.tv/logo.png</thumb>
  <fanart><thumb>https://image.tmdb.org/t/p/original/backdrop.jpg</thumb></fanart>
  <set><name>The Matrix Collection</name></set>
  <ratings>
    <rating name="imdb" max="10" default="true"><value>8.7</value><votes>1900000</votes></rating>
  </ratings>
  <actor><name>Keanu Reeves</name><role>Neo</role><order>0</order></actor>
  <actor><name>Carrie-Anne Moss</name><role>Trinity</role><order>2</order></actor>
</movie>
https://www.themoviedb.org/movie/603-the-matrix
"""

TVSHOW_NFO = b"""<tvshow>
  <title>Breaking Bad</title>
  <premiered>2008-01-20</premiered>
  <uniqueid type="tvdb" default="true">81189</uniqueid>
  <tmdbid>1396</tmdbid>
  <genre>Drama</genre>
</tvshow>"""

EPISODE_NFO = b"""<episodedetails>
  <title>Pilot</title>
  <season>1</season>
  <episode>1</episode>
  <aired>2008-01-20</aired>
  <plot>Walter White is diagnosed.</plot>
  <uniqueid type="tvdb">349232</uniqueid>
</episodedetails>"""


def test_movie_nfo() -> None:
    meta = parse_nfo(MOVIE_NFO, "movie")
    assert meta is not None
    assert (meta.title, meta.year, meta.runtime_minutes, meta.content_rating) == (
        "The Matrix",
        1999,
        136,
        "Rated R",
    )
    assert meta.overview == "A hacker learns the truth about his reality."
    assert meta.ids.as_dict() == {"tmdb": "603", "imdb": "tt0133093"}
    assert meta.genres == ("Action", "Science Fiction") and meta.studios == ("Warner Bros.",)
    actors = [(p.name, p.character, p.order) for p in meta.people if p.role == "actor"]
    assert actors == [("Keanu Reeves", "Neo", 0), ("Carrie-Anne Moss", "Trinity", 2)]
    assert {(p.name, p.role) for p in meta.people if p.role != "actor"} == {
        ("Lana Wachowski", "director"),
        ("Lilly Wachowski", "writer"),
    }
    assert [(a.kind, a.url) for a in meta.artwork] == [
        ("poster", "poster.jpg"),
        ("logo", "https://assets.fanart.tv/logo.png"),
        ("backdrop", "https://image.tmdb.org/t/p/original/backdrop.jpg"),
    ]
    assert meta.collection is not None and meta.collection.name == "The Matrix Collection"
    assert meta.ratings[0].value == 8.7 and meta.ratings[0].votes == 1900000


def test_tvshow_and_episode_nfo() -> None:
    show = parse_nfo(TVSHOW_NFO, "series")
    assert show is not None and show.year == 2008
    assert show.ids.as_dict() == {"tmdb": "1396", "tvdb": "81189"}
    episode = parse_nfo(EPISODE_NFO, "episode")
    assert episode is not None
    assert (episode.title, episode.season, episode.episode, episode.year) == ("Pilot", 1, 1, 2008)


def test_url_only_nfo_gives_ids() -> None:
    meta = parse_nfo(b"https://www.imdb.com/title/tt0133093/\n", "movie")
    assert meta is not None and meta.ids.as_dict() == {"imdb": "tt0133093"}
    assert meta.title is None


@pytest.mark.parametrize(
    "raw",
    [
        b'<?xml version="1.0"?><!DOCTYPE movie [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<movie><title>&b;</title></movie>",
        b'<!DOCTYPE movie SYSTEM "file:///etc/passwd"><movie><title>x</title></movie>',
    ],
)
def test_entities_and_doctypes_are_refused(raw: bytes) -> None:
    with pytest.raises(NfoError, match="DOCTYPE"):
        parse_nfo(raw, "movie")


def test_broken_xml_is_a_clear_error() -> None:
    with pytest.raises(NfoError, match="invalid NFO"):
        parse_nfo(b"<movie><title>x</movie>", "movie")


async def test_source_finds_the_nfo_next_to_the_media(tmp_path: Path) -> None:
    movie_dir = tmp_path / "The Matrix (1999)"
    movie_dir.mkdir()
    video = movie_dir / "The Matrix (1999).mkv"
    video.write_bytes(b"")
    (movie_dir / "movie.nfo").write_bytes(MOVIE_NFO)
    show_dir = tmp_path / "Breaking Bad"
    (show_dir / "Season 01").mkdir(parents=True)
    episode = show_dir / "Season 01" / "Breaking Bad S01E01.mkv"
    episode.write_bytes(b"")
    (show_dir / "tvshow.nfo").write_bytes(TVSHOW_NFO)
    episode.with_suffix(".nfo").write_bytes(EPISODE_NFO)
    source = NfoSource()
    assert (await source.read("movie", video)).title == "The Matrix"  # type: ignore[union-attr]
    assert (await source.read("series", show_dir)).title == "Breaking Bad"  # type: ignore[union-attr]
    assert (await source.read("episode", episode)).title == "Pilot"  # type: ignore[union-attr]
    assert await source.read("movie", tmp_path / "nothing.mkv") is None


def test_ids_in_folder_and_file_names() -> None:
    path = Path("/media/movies/The Matrix (1999) {tmdb-603}/The Matrix [imdbid-tt0133093].mkv")
    assert ids_from_path(path).as_dict() == {"tmdb": "603", "imdb": "tt0133093"}
    show = Path("/media/tv/Breaking Bad [tvdbid-81189]/Season 01/S01E01.mkv")
    assert ids_from_path(show).as_dict() == {"tvdb": "81189"}
    assert ids_from_path(Path("/media/movies/Heat (1995)/Heat.mkv")).as_dict() == {}
