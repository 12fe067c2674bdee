"""Protocol details of /rest the client libraries do not show: shapes, auth codes, limits."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx

from tests.compat.conftest import World

BASE = {"v": "1.16.1", "c": "test", "f": "json"}


def call(world: World, name: str, key: str | None = None, **params: Any) -> dict[str, Any]:
    sent = {**BASE, "apiKey": key or world.api_key, **params}
    answer = httpx.get(f"{world.server.url}/rest/{name}", params=sent, timeout=30)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    body: dict[str, Any] = answer.json()["subsonic-response"]
    return body


def token(world: World, username: str, secret: str, salt: str = "a1b2c3d4e5f6") -> dict[str, str]:
    digest = hashlib.md5((secret + salt).encode()).hexdigest()
    return {**BASE, "u": username, "t": digest, "s": salt}


def test_xml_by_default_and_form_post_to_view_paths(world: World) -> None:
    answer = httpx.get(f"{world.server.url}/rest/ping.view", params={"apiKey": world.api_key})
    assert answer.headers["content-type"].startswith("text/xml")
    assert 'status="ok"' in answer.text and 'xmlns="http://subsonic.org/restapi"' in answer.text
    posted = httpx.post(
        f"{world.server.url}/rest/getAlbumList2.view",
        data={**BASE, "apiKey": world.api_key, "type": "newest"},
    )
    albums = posted.json()["subsonic-response"]["albumList2"]["album"]
    assert sorted(a["name"] for a in albums) == ["Abbey Road", "The Wall"]


def test_extensions_are_public_and_advertise_auth_and_form_post(world: World) -> None:
    answer = httpx.get(f"{world.server.url}/rest/getOpenSubsonicExtensions", params=BASE)
    names = {e["name"] for e in answer.json()["subsonic-response"]["openSubsonicExtensions"]}
    assert {"formPost", "apiKeyAuthentication", "songLyrics"} <= names


def test_folders_artists_and_required_fields(world: World) -> None:
    folders = call(world, "getMusicFolders")["musicFolders"]["musicFolder"]
    assert [f["name"] for f in folders] == ["Music"] and isinstance(folders[0]["id"], int)
    artists = call(world, "getArtists", musicFolderId=folders[0]["id"])["artists"]
    assert "The" in artists["ignoredArticles"].split()
    assert [i["name"] for i in artists["index"]] == ["B", "P"]  # "The Beatles" under B
    album = call(world, "getAlbum", id=f"al-{world.ids['wall'].hex}")["album"]
    assert {"id", "name", "songCount", "duration", "created"} <= set(album)
    assert all({"id", "isDir", "title"} <= set(s) for s in album["song"])
    assert album["genre"] == "Rock" and album["year"] == 1979


def test_every_album_list_type_answers(world: World) -> None:
    song = call(world, "getAlbum", id=f"al-{world.ids['wall'].hex}")["album"]["song"][0]
    call(world, "star", albumId=f"al-{world.ids['wall'].hex}")
    call(world, "setRating", id=f"al-{world.ids['wall'].hex}", rating=5)
    call(world, "scrobble", id=song["id"])
    expected = {
        "random": 2, "newest": 2, "alphabeticalByName": 2, "alphabeticalByArtist": 2,
        "starred": 1, "highest": 1, "frequent": 1, "recent": 1,
    }  # fmt: skip
    for kind, count in expected.items():
        found = call(world, "getAlbumList2", type=kind)["albumList2"].get("album", [])
        assert len(found) == count, kind
    by_year = call(world, "getAlbumList2", type="byYear", fromYear=1960, toYear=1970)
    assert [a["name"] for a in by_year["albumList2"]["album"]] == ["Abbey Road"]
    by_genre = call(world, "getAlbumList2", type="byGenre", genre="Rock")
    assert [a["name"] for a in by_genre["albumList2"]["album"]] == ["The Wall"]
    missing = call(world, "getAlbumList2", type="byGenre")
    assert missing["status"] == "failed" and missing["error"]["code"] == 10


def test_genres_random_songs_user_lyrics(world: World) -> None:
    genres = call(world, "getGenres")["genres"]["genre"]
    assert [(g["value"], g["songCount"], g["albumCount"]) for g in genres] == [("Rock", 2, 1)]
    assert len(call(world, "getRandomSongs", size=10)["randomSongs"]["song"]) == 3
    user = call(world, "getUser", username="alice")["user"]
    assert user["username"] == "alice" and user["adminRole"] is False
    song = call(world, "getAlbum", id=f"al-{world.ids['wall'].hex}")["album"]["song"][0]
    lyrics = call(world, "getLyricsBySongId", id=song["id"])["lyricsList"]["structuredLyrics"]
    assert [line["value"] for line in lyrics[0]["line"]] == ["So ya thought ya", "might like"]


def test_now_playing_and_bookmarks(world: World) -> None:
    song = call(world, "getAlbum", id=f"al-{world.ids['wall'].hex}")["album"]["song"][1]
    call(world, "scrobble", id=song["id"], submission="false")
    entries = call(world, "getNowPlaying")["nowPlaying"]["entry"]
    assert [(e["title"], e["username"]) for e in entries] == [("Hey You", "alice")]
    assert call(world, "createBookmark", id=song["id"], position=61500)["status"] == "ok"
    marks = call(world, "getBookmarks")["bookmarks"]["bookmark"]
    assert [(m["position"], m["entry"]["title"]) for m in marks] == [(61500, "Hey You")]


def test_stream_with_max_bit_rate_only_converts_to_opus(world: World) -> None:
    song = call(world, "getAlbum", id=f"al-{world.ids['wall'].hex}")["album"]["song"][0]
    assert song["suffix"] == "mp3" and song["bitRate"] > 48
    params = {**BASE, "apiKey": world.api_key, "id": song["id"], "maxBitRate": 48}
    answer = httpx.get(f"{world.server.url}/rest/stream", params=params, timeout=60)
    assert answer.headers["content-type"] == "audio/ogg" and answer.content[:4] == b"OggS"


def test_auth_codes_limits_and_activity_log(world: World) -> None:
    url = f"{world.server.url}/rest/ping"
    both = httpx.get(url, params={**BASE, "apiKey": world.api_key, "u": "alice"}).json()
    assert both["subsonic-response"]["error"]["code"] == 43
    no_app = httpx.get(url, params=token(world, "root", "whatever")).json()
    assert no_app["subsonic-response"]["error"]["code"] == 41
    with world.native(world.other_key) as admin:
        secret = admin.post("/api/v1/me/app-passwords", json={"name": "x"}).json()["password"]
    # From another loopback address, so only this account and address get locked.
    other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    with other:
        assert other.get(url, params=token(world, "root", secret)).json()[
            "subsonic-response"]["status"] == "ok"  # fmt: skip
        for _ in range(10):
            wrong = other.get(url, params=token(world, "root", "guess")).json()
            assert wrong["subsonic-response"]["error"]["code"] == 40
        # Over the limit, even the right password is refused for a while.
        locked = other.get(url, params=token(world, "root", secret)).json()
    assert locked["subsonic-response"]["error"]["code"] == 40
    assert "Too many" in locked["subsonic-response"]["error"]["message"]
    world.server.call(lambda rt: rt.activity.flush())
    with world.native(world.other_key) as admin:
        page = admin.get("/api/v1/admin/activity", params={"action": "login_failed"}).json()
    reasons = [e["details"]["reason"] for e in page["items"]]
    assert reasons.count("bad_password") == 10 and "rate_limited" in reasons


def test_app_password_revoked_and_plain_password_setting(world: World) -> None:
    url = f"{world.server.url}/rest/ping"
    plain = {**BASE, "u": "alice", "p": "enc:" + world.app_password.encode().hex()}
    assert httpx.get(url, params=plain).json()["subsonic-response"]["error"]["code"] == 42
    with world.native(world.other_key) as admin:
        assert admin.put("/api/v1/admin/settings/subsonic.plain_passwords",
                         json={"value": True}).status_code == 200  # fmt: skip
    assert httpx.get(url, params=plain).json()["subsonic-response"]["status"] == "ok"
    with world.native(world.api_key) as me:
        listed = me.get("/api/v1/me/app-passwords").json()
        assert [p["name"] for p in listed] == ["DSub"] and "password" not in listed[0]
        assert me.delete(f"/api/v1/me/app-passwords/{listed[0]['id']}").status_code == 204
    revoked = httpx.get(url, params=token(world, "alice", world.app_password)).json()
    assert revoked["subsonic-response"]["error"]["code"] == 41


def test_access_changed_by_an_administrator_holds_from_the_next_request(world: World) -> None:
    """What a user may see travels with their cached credentials; an administrator's change
    of it must still reach the very next request, by API key and by app password alike."""
    by_key = {**BASE, "apiKey": world.api_key}
    by_password = token(world, "alice", world.app_password)

    def folders(auth: dict[str, str]) -> list[str]:
        url = f"{world.server.url}/rest/getMusicFolders"
        body = httpx.get(url, params=auth, timeout=30).json()["subsonic-response"]
        assert body["status"] == "ok", body
        return sorted(f["name"] for f in body["musicFolders"].get("musicFolder", []))

    assert folders(by_key) == ["Music"] and folders(by_password) == ["Music"]
    url = f"/api/v1/users/{world.ids['alice']}/libraries"
    with world.native(world.other_key) as admin:
        revoked = admin.put(url, json={"all_libraries": False, "library_ids": []})
        assert revoked.status_code == 200, revoked.text
        assert folders(by_key) == [] and folders(by_password) == []
        assert not any(call(world, "search3", query="wall")["searchResult3"].values())
        widened = admin.put(url, json={"all_libraries": True})
        assert widened.status_code == 200, widened.text
    assert folders(by_key) == ["Music", "Secret"] and folders(by_password) == ["Music", "Secret"]
