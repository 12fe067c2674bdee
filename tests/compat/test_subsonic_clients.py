"""The OpenSubsonic API driven by the real client libraries py-opensonic and py-sonic."""

from __future__ import annotations

import io

import httpx
import libopensonic
import libsonic
import pytest
from PIL import Image as PILImage

from tests.compat.conftest import World


def _opensonic(world: World, key: str | None = None) -> libopensonic.Connection:
    return libopensonic.Connection(
        "http://127.0.0.1", api_key=key or world.api_key, port=world.port
    )


def _sonic(world: World, password: str | None = None) -> libsonic.Connection:
    return libsonic.Connection(
        "http://127.0.0.1", "alice", password or world.app_password, port=world.port
    )


def test_ping_with_api_key_and_with_app_password_token(world: World) -> None:
    assert _opensonic(world).ping() is True
    assert _sonic(world).ping() is True  # py-sonic sends t = md5(password + salt), s


def test_browse_artists_albums_songs_and_search(world: World) -> None:
    conn = _opensonic(world)
    artists = conn.get_artists()
    names = [a.name for index in artists.index for a in index.artist]
    assert names == ["The Beatles", "Pink Floyd"] or sorted(names) == ["Pink Floyd", "The Beatles"]
    assert "Hidden Artist" not in names
    floyd = next(a for index in artists.index for a in index.artist if a.name == "Pink Floyd")
    artist = conn.get_artist(floyd.id)
    assert [a.name for a in artist.album] == ["The Wall"]
    album = conn.get_album(artist.album[0].id)
    assert [s.title for s in album.song] == ["In the Flesh", "Hey You"]
    assert album.song_count == 2 and album.song[0].is_dir is False
    found = conn.search3("wall")
    assert [a.name for a in found.album] == ["The Wall"]
    songs = conn.search3("together").song
    assert [s.title for s in songs] == ["Come Together"]


def test_stream_as_is_and_converted_and_cover_art(world: World) -> None:
    sonic = _sonic(world)
    album = _opensonic(world).get_album(f"al-{world.ids['wall'].hex}")
    flac = album.song[1]
    original = sonic.stream(flac.id).read()
    assert original[:4] == b"fLaC"
    converted = sonic.stream(flac.id, maxBitRate=64, tformat="mp3")
    assert converted.headers["Content-Type"] == "audio/mpeg"
    body = converted.read()
    assert body[:3] == b"ID3" or body[0] == 0xFF
    cover = sonic.getCoverArt(album.cover_art, size=32)
    assert cover.headers["Content-Type"].startswith("image/")
    assert max(PILImage.open(io.BytesIO(cover.read())).size) <= 32 * 2


def test_star_and_scrobble_show_in_native_item_state(world: World) -> None:
    conn = _opensonic(world)
    album = conn.get_album(f"al-{world.ids['wall'].hex}")
    song = album.song[0]
    assert conn.star(sids=[song.id]) is True
    assert conn.scrobble(song.id) is True
    track_id = song.id.removeprefix("tr-")
    with world.native(world.api_key) as native:
        state = native.get(f"/api/v1/items/track/{track_id}/state").json()
    assert state["favourite"] is True and state["play_count"] == 1
    starred = conn.get_starred2()
    assert [s.title for s in starred.song] == ["In the Flesh"]


def test_playlists_create_update_delete(world: World) -> None:
    sonic = _sonic(world)
    album = _opensonic(world).get_album(f"al-{world.ids['wall'].hex}")
    made = sonic.createPlaylist(name="Road trip", songIds=[album.song[0].id])
    playlist = made["playlist"]
    assert playlist["songCount"] == 1 and playlist["name"] == "Road trip"
    sonic.updatePlaylist(playlist["id"], name="Long trip", songIdsToAdd=[album.song[1].id])
    again = sonic.getPlaylist(playlist["id"])["playlist"]
    assert again["name"] == "Long trip" and [e["title"] for e in again["entry"]] == [
        "In the Flesh", "Hey You"]  # fmt: skip
    assert {"created", "changed", "duration"} <= set(again)
    sonic.deletePlaylist(playlist["id"])
    assert sonic.getPlaylists()["playlists"] in ({}, {"playlist": []}) or not sonic.getPlaylists()[
        "playlists"].get("playlist")  # fmt: skip


def test_podcasts(world: World) -> None:
    channels = _opensonic(world).get_podcasts()
    assert [c.title for c in channels] == ["Tech Talk"]
    assert len(channels[0].episode) == 1


def test_wrong_credentials_answer_the_protocols_codes(world: World) -> None:
    with pytest.raises(libsonic.errors.CredentialError):
        _sonic(world, "not-the-password").ping()
    url = f"{world.server.url}/rest/ping.view"
    bad_key = httpx.get(url, params={"apiKey": "rvk_nope", "f": "json", "v": "1.16.1", "c": "t"})
    assert bad_key.status_code == 200 and bad_key.headers["content-type"] == "application/json"
    assert bad_key.json()["subsonic-response"]["error"]["code"] == 44
    account = httpx.get(url, params={"u": "alice", "p": "whatever", "v": "1.16.1", "c": "t"})
    assert 'code="42"' in account.text  # plain passwords only over HTTPS by default


def test_hidden_library_is_invisible(world: World) -> None:
    url = f"{world.server.url}/rest/search3"
    params = {"apiKey": world.api_key, "query": "secret", "f": "json", "c": "t", "v": "1.16.1"}
    result = httpx.get(url, params=params).json()["subsonic-response"]["searchResult3"]
    assert not result.get("song") and not result.get("album")
    admin = dict(params, apiKey=world.other_key)
    found = httpx.get(url, params=admin).json()["subsonic-response"]["searchResult3"]
    assert [s["title"] for s in found["song"]] == ["Secret Song"]
    album_id = found["song"][0]["albumId"]
    hidden = httpx.get(f"{world.server.url}/rest/getAlbum", params=dict(params, id=album_id))
    assert hidden.json()["subsonic-response"]["error"]["code"] == 70


def test_random_and_malformed_parameters_never_answer_5xx(world: World) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from revenge.compat.subsonic.registry import METHODS

    names = [*sorted(METHODS), "nope", "getAlbum.view"]
    keys = ["id", "type", "size", "offset", "query", "maxBitRate", "format", "songId",
            "playlistId", "rating", "position", "musicFolderId", "fromYear", "toYear",
            "genre", "count", "submission", "name", "songIndexToRemove", "time"]  # fmt: skip
    values = st.one_of(
        st.text(max_size=40), st.integers(-10**12, 10**12).map(str),
        st.sampled_from(["al-" + world.ids["wall"].hex, "tr-0", "random", "byYear", "true",
                         "", "-1", "ar-zz", "pl-" + "0" * 32]),
    )  # fmt: skip
    client = httpx.Client(base_url=world.server.url, timeout=30)

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(names), st.dictionaries(st.sampled_from(keys), values, max_size=5),
           st.booleans(), st.booleans())  # fmt: skip
    def probe(name: str, params: dict[str, str], post: bool, as_json: bool) -> None:
        sent = {**params, "apiKey": world.api_key, "c": "fuzz", "v": "1.16.1"}
        if as_json:
            sent["f"] = "json"
        if post:
            answer = client.post(f"/rest/{name}", data=sent)
        else:
            answer = client.get(f"/rest/{name}", params=sent)
        assert answer.status_code < 500, (name, params, answer.text[:300])
        kind = answer.headers.get("content-type", "")
        assert "html" not in kind
        if as_json and kind.startswith("application/json"):
            assert answer.json()["subsonic-response"]["status"] in ("ok", "failed")

    with client:
        probe()
