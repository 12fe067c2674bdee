"""MusicBrainz and Cover Art Archive clients against loopback servers."""

from __future__ import annotations

import httpx
import pytest

from revenge.config import MetadataSettings
from revenge.metadata.errors import ProviderNotFound, ProviderUnavailable
from revenge.metadata.providers.musicbrainz import CoverArtArchive, MusicBrainzProvider
from revenge.metadata.ratelimit import Limit
from revenge.metadata.registry import provider_policies
from revenge.testing.fake_api import FakeApi, Reply, fake_api, fixture
from tests.metadata.conftest import provider_http

RELEASE = "0b6b4ba0-d36f-47bd-b4ea-6a5b91842d29"
ARTIST = "a74b1b7f-71a5-4011-9441-d0b5e4122711"
RECORDING = "6b9a509f-6907-4a6e-9345-2f12da09ba4b"


def musicbrainz(
    api: FakeApi, client: httpx.AsyncClient, caa: FakeApi | None = None
) -> MusicBrainzProvider:
    coverart = CoverArtArchive(provider_http(client, "coverart", caa.url)) if caa else None
    return MusicBrainzProvider(provider_http(client, "musicbrainz", api.url), coverart)


def test_policy_is_one_request_per_second_with_a_contact_user_agent() -> None:
    policy = provider_policies(MetadataSettings(contact="admin@example.org"))["musicbrainz"]
    assert policy.limit == Limit(1, 1.0)
    assert policy.headers["User-Agent"].startswith("Revenge/")
    assert policy.headers["User-Agent"].endswith("( admin@example.org )")


async def test_release_search_sends_a_lucene_query(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.json("/release", "musicbrainz/release_search_ok_computer")
    found = await musicbrainz(api, http_client).search_album("OK Computer", "Radiohead", 1997)
    seen = api.calls("/release")[0]
    assert seen.query["query"] == 'release:"OK Computer" AND artist:"Radiohead" AND date:1997'
    assert seen.query["fmt"] == "json"
    assert seen.headers["user-agent"].startswith("Revenge/")
    best = found[0]
    assert (best.provider_id, best.title, best.artist, best.year, best.episode_count) == (
        RELEASE,
        "OK Computer",
        "Radiohead",
        1997,
        12,
    )


async def test_release_details_with_tracks_and_cover_art(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.json(f"/release/{RELEASE}", "musicbrainz/release_ok_computer")
    with fake_api() as caa:
        # The archive answers with a redirect to the JSON index, as coverartarchive.org does.
        caa.on(
            "GET",
            f"/release/{RELEASE}",
            Reply(307, b"", {"Location": f"/download/mbid-{RELEASE}/index.json"}),
        )
        caa.json(f"/download/mbid-{RELEASE}/index.json", "musicbrainz/coverart_ok_computer")
        album = await musicbrainz(api, http_client, caa).album_details(RELEASE)
    assert api.calls(f"/release/{RELEASE}")[0].query["inc"] == (
        "artist-credits+recordings+release-groups+genres+labels"
    )
    assert album.title == "OK Computer" and album.artist == "Radiohead" and album.year == 1997
    assert album.genres == ("Art Rock", "Alternative Rock") and album.studios == ("Parlophone",)
    assert [(t.disc, t.number, t.title) for t in album.tracks][:2] == [
        (1, 1, "Airbag"),
        (1, 2, "Paranoid Android"),
    ]
    assert album.tracks[0].ids.musicbrainz == RECORDING
    cover = album.artwork[0]
    assert cover.kind == "cover" and cover.url.endswith("/829521842.jpg")


async def test_missing_cover_art_keeps_the_album(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.json(f"/release/{RELEASE}", "musicbrainz/release_ok_computer")
    with fake_api() as caa:
        caa.on("GET", f"/release/{RELEASE}", Reply(404, b"Not Found"))
        album = await musicbrainz(api, http_client, caa).album_details(RELEASE)
    assert album.title == "OK Computer" and album.artwork == ()


async def test_artist_and_recording(api: FakeApi, http_client: httpx.AsyncClient) -> None:
    api.json("/artist", "musicbrainz/artist_search_radiohead")
    api.json(f"/artist/{ARTIST}", "musicbrainz/artist_radiohead")
    api.json("/recording", "musicbrainz/recording_search_airbag")
    api.json(f"/recording/{RECORDING}", "musicbrainz/recording_airbag")
    provider = musicbrainz(api, http_client)
    artists = await provider.search_artist("Radiohead")
    assert artists[0].provider_id == ARTIST and artists[0].aliases == ("On a Friday",)
    artist = await provider.artist_details(ARTIST)
    assert (
        artist.title == "Radiohead"
        and artist.year == 1991
        and artist.genres[0] == "Alternative Rock"
    )
    recordings = await provider.search_recording("Airbag", "Radiohead")
    assert api.calls("/recording")[0].query["query"] == 'recording:"Airbag" AND artist:"Radiohead"'
    track = await provider.recording_details(recordings[0].provider_id)
    assert (track.title, track.artist, track.album) == ("Airbag", "Radiohead", "OK Computer")


async def test_audiobook_search_filters_on_secondary_type(
    api: FakeApi, http_client: httpx.AsyncClient
) -> None:
    api.json("/release", "musicbrainz/release_search_ok_computer")
    found = await musicbrainz(api, http_client).search_audiobook('The "Hobbit"', "Tolkien", None)
    query = api.calls("/release")[0].query["query"]
    assert query == 'release:"The \\"Hobbit\\"" AND artist:"Tolkien" AND secondarytype:audiobook'
    assert found[0].kind == "audiobook"


async def test_errors(api: FakeApi, http_client: httpx.AsyncClient) -> None:
    api.on("GET", f"/release/{RELEASE}", Reply(404, fixture("musicbrainz/error_404")))
    api.on("GET", "/artist", Reply(503, fixture("musicbrainz/error_503")))
    provider = musicbrainz(api, http_client)
    with pytest.raises(ProviderNotFound):
        await provider.album_details(RELEASE)
    with pytest.raises(ProviderUnavailable, match="503"):
        await provider.search_artist("Radiohead")
    assert len(api.calls("/artist")) == 4  # the first try and three retries
