"""The app's files travel compressed and are revalidated, not downloaded again (over loopback
from a real `revenge serve`)."""

from __future__ import annotations

from tests.web.conftest import WebServer


def test_static_files_are_gzipped_and_revalidated_by_etag(web_server: WebServer) -> None:
    get = web_server.http.get
    plain = get("/static/js/dom.js", headers={"Accept-Encoding": "identity"})
    packed = get("/static/js/dom.js", headers={"Accept-Encoding": "gzip, br"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip" and packed.text == plain.text
    assert int(packed.headers["content-length"]) < len(plain.content) / 2
    assert packed.headers["vary"] == "Accept-Encoding"
    etag = packed.headers["etag"]
    again = get("/static/js/dom.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["cache-control"] == "no-cache"
    style = get("/static/css/app.css", headers={"Accept-Encoding": "gzip"})
    assert style.headers["content-type"].startswith("text/css")
    assert style.headers["content-encoding"] == "gzip"
    vendor = get("/static/vendor/hls-1.7.4.min.mjs", headers={"Accept-Encoding": "gzip"})
    assert vendor.headers["content-type"].startswith("text/javascript")
    assert "immutable" in vendor.headers["cache-control"]
    for path in ("/static/missing.js", "/static/../__init__.py", "/static/%2e%2e/routes.py"):
        assert get(path).status_code == 404, path
