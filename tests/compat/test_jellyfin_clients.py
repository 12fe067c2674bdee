"""jellyfin-apiclient-python (the Kodi add-on's and MPV shim's library) drives a live server."""

from __future__ import annotations

import io
from typing import Any

import av
import httpx
import pytest
from jellyfin_apiclient_python.client import JellyfinClient
from jellyfin_apiclient_python.connection_manager import CONNECTION_STATE

from revenge.compat.jellyfin.ids import jid
from tests.compat.jellyfin_world import PASSWORD, JellyfinWorld

DEVICE_PROFILE: dict[str, Any] = {
    "MaxStreamingBitrate": 120_000_000,
    "DirectPlayProfiles": [
        {"Container": "mp4,m4v", "Type": "Video", "VideoCodec": "h264", "AudioCodec": "aac"},
        {"Container": "mp3,flac", "Type": "Audio"},
    ],
    "TranscodingProfiles": [
        {"Container": "ts", "Type": "Video", "Protocol": "hls", "VideoCodec": "h264",
         "AudioCodec": "aac"},
    ],
}  # fmt: skip


def _client(world: JellyfinWorld, user: str = "alice", password: str = PASSWORD) -> JellyfinClient:
    client = JellyfinClient()
    client.config.app("Revenge tests", "1.0", "pytest", "device-1")
    client.config.http("revenge-tests/1.0")
    client.config.data["auth.ssl"] = False
    client.jellyfin.default_timeout = 60  # its 5 s is short on a loaded test machine
    state = client.auth.connect_to_address(world.url)
    # ServerSignIn: the public info was understood (name, id, version).
    assert state["State"] == CONNECTION_STATE["ServerSignIn"], state
    assert state["Servers"][0]["Name"] == "Revenge"
    client.auth.login(world.url, user, password)
    return client


def _names(result: dict[str, Any]) -> set[str]:
    return {item["Name"] for item in result["Items"]}


def test_sign_in_views_and_browsing(jf_world: JellyfinWorld) -> None:
    client = _client(jf_world)
    api = client.jellyfin
    assert client.config.data["auth.token"]
    me = api.get_user()
    assert me["Name"] == "alice"
    views = api.get_views()
    assert _names(views) == {"Movies", "Shows", "Music"}
    movies_view = next(v for v in views["Items"] if v["Name"] == "Movies")
    assert movies_view["CollectionType"] == "movies"
    movies = api.get_user_items(parent_id=movies_view["Id"], recursive=True,
                                include_item_types="Movie", sort_by="SortName")  # fmt: skip
    assert [m["Name"] for m in movies["Items"]] == ["Big Buck Bunny", "Sintel"]
    assert movies["TotalRecordCount"] == 2
    shows = api.get_user_items(include_item_types="Series", recursive=True)
    assert _names(shows) == {"Night Shift"}
    show = shows["Items"][0]
    seasons = api.get_seasons(show["Id"])
    assert [s["IndexNumber"] for s in seasons["Items"]] == [1]
    episodes = api.get_episodes(show["Id"], season_id=seasons["Items"][0]["Id"])
    assert [e["IndexNumber"] for e in episodes["Items"]] == [1, 2]
    assert all(e["SeriesName"] == "Night Shift" for e in episodes["Items"])
    item = api.get_item(movies["Items"][0]["Id"])
    assert item["Name"] == "Big Buck Bunny" and item["Type"] == "Movie"
    assert item["ParentId"] == movies_view["Id"] and item["UserData"]["Played"] is False
    tracks = api.get_user_items(include_item_types="Audio", recursive=True)
    assert _names(tracks) == {"In the Flesh"}
    assert tracks["Items"][0]["Album"] == "The Wall"
    latest = api.get_recently_added(limit=10)
    assert {"Big Buck Bunny", "Sintel", "Night Shift", "The Wall"} <= {i["Name"] for i in latest}


def test_next_up_and_playlists(jf_world: JellyfinWorld) -> None:
    api = _client(jf_world).jellyfin
    show = api.get_user_items(include_item_types="Series", recursive=True)["Items"][0]
    first, second = api.get_episodes(show["Id"])["Items"]
    assert api.get_next()["Items"] == []
    api.item_played(first["Id"], True)
    assert [e["Id"] for e in api.get_next(limit=5)["Items"]] == [second["Id"]]
    movie = api.search_media_items(term="sintel", media="Movie")["Items"][0]
    made = api.new_playlist("Watch later", [movie["Id"], second["Id"]])
    listed = api.get_playlist_items(made["Id"])
    assert [i["Name"] for i in listed["Items"]] == ["Sintel", second["Name"]]
    assert "Watch later" in _names(api.get_playlists())


def test_search(jf_world: JellyfinWorld) -> None:
    api = _client(jf_world).jellyfin
    found = api.search_media_items(term="bunny", media="Movie")
    assert [i["Name"] for i in found["Items"]] == ["Big Buck Bunny"]
    assert api.search_media_items(term="hidden movie")["Items"] == []
    hints = api._get("Search/Hints", {"searchTerm": "night shift"})
    assert "Night Shift" in {h["Name"] for h in hints["SearchHints"]}


def _stream_bytes(url: str) -> bytes:
    with httpx.Client(timeout=60, follow_redirects=True) as http:
        resp = http.get(url)
        assert resp.status_code == 200, (url, resp.status_code, resp.text[:200])
        return resp.content


def test_playback_info_stream_and_progress(jf_world: JellyfinWorld, tmp_path: Any) -> None:
    client = _client(jf_world)
    api = client.jellyfin
    bunny = api.search_media_items(term="bunny", media="Movie")["Items"][0]
    info = api.get_play_info(bunny["Id"], profile=DEVICE_PROFILE)
    assert info["PlaySessionId"]
    source = info["MediaSources"][0]
    assert source["SupportsDirectPlay"] is True and source["Protocol"] == "File"
    assert {s["Type"] for s in source["MediaStreams"]} >= {"Video", "Audio"}
    assert source["RunTimeTicks"] > 3 * 10_000_000
    # The URL the client builds from it: the file itself, a real H.264 video.
    data = _stream_bytes(api.video_url(bunny["Id"], media_source_id=source["Id"]))
    with av.open(io.BytesIO(data)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.duration / 1_000_000 > 3
    # Progress written through the Jellyfin API is the native item state.
    api.session_playing({"ItemId": bunny["Id"], "PlaySessionId": info["PlaySessionId"]})
    api.session_progress({"ItemId": bunny["Id"], "PositionTicks": 15_000_000,
                          "PlaySessionId": info["PlaySessionId"], "IsPaused": False})  # fmt: skip
    movie_id = jf_world.ids["bunny"]
    with httpx.Client(base_url=jf_world.url, headers={"X-Api-Key": jf_world.api_key}) as native:
        state = native.get(f"/api/v1/items/movie/{movie_id}/state").json()
        assert state["position_seconds"] == pytest.approx(1.5)
        resume = api.get_resume_items()
        assert [i["Name"] for i in resume["Items"]] == ["Big Buck Bunny"]
        assert resume["Items"][0]["UserData"]["PlaybackPositionTicks"] == 15_000_000
        api.item_played(bunny["Id"], True)
        api.favorite(bunny["Id"], True)
        state = native.get(f"/api/v1/items/movie/{movie_id}/state").json()
        assert state["played"] is True and state["favourite"] is True
    again = api.get_item(bunny["Id"])
    assert again["UserData"]["Played"] is True and again["UserData"]["IsFavorite"] is True
    favourites = api.get_user_items(include_item_types="Movie", recursive=True,
                                    filters="IsFavorite")  # fmt: skip
    assert _names(favourites) == {"Big Buck Bunny"}


def test_transcoding_url_is_hls_carrying_the_key(jf_world: JellyfinWorld) -> None:
    api = _client(jf_world).jellyfin
    sintel = api.search_media_items(term="sintel", media="Movie")["Items"][0]
    info = api.get_play_info(sintel["Id"], profile=DEVICE_PROFILE)  # mkv: not in the profile
    source = info["MediaSources"][0]
    assert source["SupportsDirectPlay"] is False and source["TranscodingSubProtocol"] == "hls"
    assert "master.m3u8" in source["TranscodingUrl"] and "ApiKey=" in source["TranscodingUrl"]
    with httpx.Client(base_url=jf_world.url, timeout=120, follow_redirects=True) as http:
        master = http.get(source["TranscodingUrl"])
        assert master.status_code == 200 and master.text.startswith("#EXTM3U")
        variant = next(line for line in master.text.splitlines() if line and line[0] != "#")
        media = http.get(str(master.url.join(variant)))  # no header: the URL carries the key
        assert media.status_code == 200, media.text
        segment = next(line for line in media.text.splitlines() if line and line[0] != "#")
        chunk = http.get(str(media.url.join(segment)))
        assert chunk.status_code == 200 and chunk.content[:1] == b"\x47"  # MPEG-TS sync byte


def test_audio_universal(jf_world: JellyfinWorld) -> None:
    api = _client(jf_world).jellyfin
    track = api.get_user_items(include_item_types="Audio", recursive=True)["Items"][0]
    data = _stream_bytes(api.audio_url(track["Id"], audio_codec="opus",
                                       max_streaming_bitrate=96_000))  # fmt: skip
    with av.open(io.BytesIO(data)) as container:
        assert container.streams.audio[0].codec_context.name == "opus"


def test_hidden_library_is_invisible(jf_world: JellyfinWorld) -> None:
    client = _client(jf_world)
    api = client.jellyfin
    hidden = jid("movie", jf_world.ids["hidden_movie"])
    everything = api.get_user_items(include_item_types="Movie", recursive=True)
    assert "Hidden Movie" not in _names(everything)
    assert "Secret" not in _names(api.get_views())
    assert api.search_media_items(term="hidden")["Items"] == []
    headers = {"X-Emby-Token": client.config.data["auth.token"]}
    with httpx.Client(base_url=jf_world.url, timeout=30, headers=headers) as http:
        assert http.get(f"/Items/{hidden}").status_code == 404
        assert http.get(f"/Items/{hidden}/PlaybackInfo").status_code == 404
        assert http.get(f"/Videos/{hidden}/stream").status_code == 404
        assert http.get(f"/Items/{hidden}/Images/Primary").status_code == 404
        assert http.post(f"/UserFavoriteItems/{hidden}").status_code == 404
        assert http.get("/Items", params={"Ids": hidden}).json()["Items"] == []
    admin = _client(jf_world, "root").jellyfin
    assert "Hidden Movie" in _names(admin.get_user_items(include_item_types="Movie",
                                                          recursive=True))  # fmt: skip


def test_wrong_credentials_and_stale_tokens_answer_401(jf_world: JellyfinWorld) -> None:
    auth = 'MediaBrowser Client="Kodi", Device="pc", DeviceId="d1", Version="1.0"'
    with httpx.Client(base_url=jf_world.url, timeout=30) as http:
        bad = http.post("/Users/AuthenticateByName", json={"Username": "alice", "Pw": "nope"},
                        headers={"Authorization": auth})  # fmt: skip
        assert bad.status_code == 401
        for headers in (
            {"Authorization": auth + ', Token="None"'},
            {"X-Emby-Token": "rvs_nothing"},
            {"X-MediaBrowser-Token": "None"},
            {},
        ):
            assert http.get("/Users/Me", headers=headers).status_code == 401
            assert http.get("/items", headers=headers).status_code == 401
        assert http.get("/Users/Me", params={"ApiKey": "None"}).status_code == 401
        # A personal access key works wherever a token does.
        me = http.get("/users/me", params={"api_key": jf_world.api_key})
        assert me.status_code == 200 and me.json()["Name"] == "alice"
        assert "Date" in me.headers
    assert _client(jf_world, password="wrong").config.data.get("auth.token") in (None, "")
