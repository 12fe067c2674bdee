"""What the client library does not show: every route's credentials, bad input, limits, log."""

from __future__ import annotations

import itertools
import re
import uuid
from typing import Any

import httpx

from revenge.api.auth import is_public
from revenge.compat.jellyfin.ids import jid
from revenge.compat.jellyfin.routes import router
from tests.compat.jellyfin_world import PASSWORD, JellyfinWorld

AUTH = 'MediaBrowser Client="Kodi", Device="pc", DeviceId="d1", Version="1.0"'
_PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")


def _routes() -> list[tuple[str, str]]:
    return sorted(
        (method, route.path)  # type: ignore[attr-defined]
        for route in router.routes
        for method in route.methods  # type: ignore[attr-defined]
    )


def _urls(template: str, values: list[str]) -> list[str]:
    names = _PARAM.findall(template)
    out = []
    for combo in itertools.product(values, repeat=len(names)) if names else [()]:
        url = template
        for name, value in zip(names, combo, strict=True):
            url = re.sub(r"{" + name + r"(?::[^}]+)?}", value, url, count=1)
        out.append(url)
    return out[:12]


def test_every_route_but_the_public_ones_needs_a_token(jf_world: JellyfinWorld) -> None:
    routes = _routes()
    assert len(routes) > 40
    public = [(m, p) for m, p in routes if is_public(m, p)]
    assert sorted(p for _, p in public) == sorted([
        "/Branding/Configuration", "/Branding/Css", "/QuickConnect/Enabled",
        "/System/Info/Public", "/System/Ping", "/System/Ping", "/Users/AuthenticateByName",
        "/Users/Public",
    ])  # fmt: skip
    with httpx.Client(base_url=jf_world.url, timeout=30) as http:
        for method, template in routes:
            if is_public(method, template):
                continue
            url = _urls(template, [uuid.uuid4().hex])[0]
            for headers in ({}, {"Authorization": AUTH + ', Token="None"'}):
                answer = http.request(method, url.lower(), headers=headers)
                assert answer.status_code == 401, (method, template, answer.status_code)


_BAD_QUERY: list[dict[str, str]] = [
    {"Limit": "-1", "StartIndex": "abc", "SortBy": "Nope", "SortOrder": "Sideways"},
    {"ParentId": "zz", "IncludeItemTypes": "Movie", "Recursive": "True", "Years": "x,1999"},
    {"Ids": "a,b," + "f" * 32, "Filters": "IsPlayed,IsFavorite,IsResumable", "Fields": "x"},
    {"SearchTerm": "%'\"; drop table", "Limit": "99999999999999999999"},
    {"MaxStreamingBitrate": "-5", "fillWidth": "999999", "maxHeight": "x", "static": "maybe"},
    {"AudioCodec": "wav,opus", "MediaSourceId": "../../etc/passwd", "PlaySessionId": "x"},
    {"SeasonId": "0" * 32, "Season": "99", "GenreIds": "1", "api_key": "None"},
]
_BAD_BODIES: list[Any] = [
    None,
    b"\x00\xff",
    b"[1,2]",
    b"null",
    b'{"ItemId": 5, "PositionTicks": "x"}',
    b'{"DeviceProfile": "x"}',
    b'{"DeviceProfile": {"DirectPlayProfiles": "x", "TranscodingProfiles": [1]}}',
    b'{"DeviceProfile": {"MaxStreamingBitrate": -1, "DirectPlayProfiles": [{}]}}',
    b'{"Name": "", "Ids": "x"}',
    b'{"Username": 5, "Pw": []}',
]


def test_bad_input_never_answers_a_server_error(jf_world: JellyfinWorld) -> None:
    ids = jf_world.ids
    values = [
        "x", "0" * 32, jid("movie", ids["bunny"]), jid("movie", ids["hidden_movie"]),
        jid("library", ids["movies"]), jid("series", uuid.uuid4()), "Primary",
    ]  # fmt: skip
    headers = {"X-Emby-Token": jf_world.api_key, "Content-Type": "application/json"}
    with httpx.Client(base_url=jf_world.url, timeout=120, headers=headers) as http:
        for method, template in _routes():
            for n, url in enumerate(_urls(template, values)):
                query = _BAD_QUERY[n % len(_BAD_QUERY)]
                body = _BAD_BODIES[n % len(_BAD_BODIES)] if method == "POST" else None
                answer = http.request(method, url, params=query, content=body)
                assert answer.status_code < 500, (method, url, query, body, answer.text[:300])
                if answer.status_code == 401:
                    raise AssertionError((method, url, "a valid key was refused"))


def test_sign_in_limits_and_activity_log(jf_world: JellyfinWorld) -> None:
    url = f"{jf_world.url}/Users/AuthenticateByName"
    headers = {"Authorization": AUTH}
    other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=30)
    with other:
        good = other.post(url, json={"Username": "root", "Pw": PASSWORD}, headers=headers)
        assert good.status_code == 200
        signed = good.json()
        assert signed["AccessToken"] and signed["ServerId"] and signed["User"]["Id"]
        for _ in range(10):
            wrong = other.post(url, json={"Username": "root", "Pw": "guess"}, headers=headers)
            assert wrong.status_code == 401
        locked = other.post(url, json={"Username": "root", "Pw": PASSWORD}, headers=headers)
        assert locked.status_code == 429
    jf_world.server.call(lambda rt: rt.activity.flush())
    admin = {"X-Api-Key": jf_world.admin_key}
    with httpx.Client(base_url=jf_world.url, headers=admin, timeout=30) as native:
        failed = native.get("/api/v1/admin/activity", params={"action": "login_failed"}).json()
        signed_in = native.get("/api/v1/admin/activity", params={"action": "login"}).json()
        sessions = native.get("/api/v1/sessions").json()
    reasons = [e["details"]["reason"] for e in failed["items"]]
    assert reasons.count("bad_password") == 10 and "rate_limited" in reasons
    assert len(signed_in["items"]) >= 1
    # The session is named after the app's device, as the web app's sessions are.
    assert [(s["device_id"], s["client_name"]) for s in sessions] == [("d1", "Kodi")]
