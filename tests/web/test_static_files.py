"""The app's files travel compressed and are revalidated, not downloaded again."""

from __future__ import annotations

import httpx


async def test_static_files_are_gzipped_and_revalidated_by_etag(client: httpx.AsyncClient) -> None:
    plain = await client.get("/static/js/dom.js", headers={"Accept-Encoding": "identity"})
    packed = await client.get("/static/js/dom.js", headers={"Accept-Encoding": "gzip, br"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip" and packed.text == plain.text
    assert int(packed.headers["content-length"]) < len(plain.content) / 2
    assert packed.headers["vary"] == "Accept-Encoding"
    etag = packed.headers["etag"]
    again = await client.get("/static/js/dom.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["cache-control"] == "no-cache"
    style = await client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip"})
    assert style.headers["content-type"].startswith("text/css")
    assert style.headers["content-encoding"] == "gzip"
