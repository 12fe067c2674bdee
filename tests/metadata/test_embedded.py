"""Tags and cover art embedded in real audio files."""

from __future__ import annotations

import io
from pathlib import Path

from mutagen.flac import FLAC, Picture
from mutagen.id3 import APIC, ID3, TALB, TDRC, TIT2, TPE1, TPE2, TRCK, TXXX
from PIL import Image

from revenge.images.local import embedded_cover, find_local_artwork
from revenge.metadata.providers.embedded import EmbeddedTagsSource
from revenge.metadata.providers.local_artwork import LocalArtworkSource
from tests.support.audio import write_silence


def jpeg(color: tuple[int, int, int] = (10, 20, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), color).save(out, "JPEG")
    return out.getvalue()


def tag_mp3(path: Path) -> None:
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Airbag"))
    tags.add(TPE1(encoding=3, text="Radiohead"))
    tags.add(TPE2(encoding=3, text="Radiohead"))
    tags.add(TALB(encoding=3, text="OK Computer"))
    tags.add(TDRC(encoding=3, text="1997-05-21"))
    tags.add(TRCK(encoding=3, text="1/12"))
    tags.add(
        TXXX(encoding=3, desc="MusicBrainz Album Id", text="0b6b4ba0-d36f-47bd-b4ea-6a5b91842d29")
    )
    tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="Cover", data=jpeg()))
    tags.save(path)


async def test_mp3_tags_for_track_and_album(tmp_path: Path) -> None:
    song = write_silence(tmp_path / "01 Airbag.mp3")
    tag_mp3(song)
    source = EmbeddedTagsSource()
    track = await source.read("track", song)
    assert track is not None
    assert (track.title, track.artist, track.album, track.year, track.episode) == (
        "Airbag",
        "Radiohead",
        "OK Computer",
        1997,
        1,
    )
    album = await source.read("album", tmp_path)
    assert album is not None and album.title == "OK Computer" and album.artist == "Radiohead"
    assert album.ids.musicbrainz == "0b6b4ba0-d36f-47bd-b4ea-6a5b91842d29"
    assert embedded_cover(song) == jpeg()


async def test_flac_audiobook_author_and_narrator(tmp_path: Path) -> None:
    book = write_silence(tmp_path / "part1.flac")
    audio = FLAC(book)
    audio["album"] = "The Hobbit"
    audio["artist"] = "J.R.R. Tolkien"
    audio["composer"] = "Andy Serkis"
    audio["date"] = "2020"
    picture = Picture()
    picture.type = 3
    picture.mime = "image/jpeg"
    picture.data = jpeg((200, 0, 0))
    audio.add_picture(picture)
    audio.save()
    meta = await EmbeddedTagsSource().read("audiobook", tmp_path)
    assert meta is not None and meta.title == "The Hobbit" and meta.year == 2020
    assert [(p.name, p.role) for p in meta.people] == [
        ("J.R.R. Tolkien", "author"),
        ("Andy Serkis", "narrator"),
    ]
    assert embedded_cover(book) == jpeg((200, 0, 0))
    art = await LocalArtworkSource().read("audiobook", tmp_path)
    assert art is not None and art.artwork[0].url == f"embedded:{book}"


def test_local_artwork_files(tmp_path: Path) -> None:
    movie = tmp_path / "Heat (1995)"
    movie.mkdir()
    video = movie / "Heat (1995).mkv"
    video.write_bytes(b"")
    for name in ("folder.jpg", "fanart.jpg", "Heat (1995)-poster.png", "logo.png", "notes.txt"):
        (movie / name).write_bytes(b"x")
    found = find_local_artwork(video, "movie")
    assert found["poster"].name == "Heat (1995)-poster.png"  # the per-file name wins
    assert found["backdrop"].name == "fanart.jpg" and found["logo"].name == "logo.png"
    album = tmp_path / "album"
    album.mkdir()
    (album / "cover.jpg").write_bytes(b"x")
    assert find_local_artwork(album, "album") == {"cover": album / "cover.jpg"}


async def test_file_without_tags_gives_nothing(tmp_path: Path) -> None:
    silent = write_silence(tmp_path / "plain.mp3")
    assert await EmbeddedTagsSource().read("track", silent) is None
    assert embedded_cover(silent) is None
    (tmp_path / "fake.mp3").write_bytes(b"not audio at all")
    assert await EmbeddedTagsSource().read("track", tmp_path / "fake.mp3") is None
