"""The browser app served at `/`, and the offline API explorer at `/docs`.

No build step and no Node.js: the app is plain ES modules under `static/js/` that the browser
loads as they are (`app.js` boots, `routes.js` is the route table, one module per page under
`pages/`). Every page is the same `index.html`, served for the app's own first path segments
(history routing); everything else stays with the API and the client protocols.

Vendored, one pinned file each, unmodified, with its licence beside it (`static/vendor/`):
- hls.js 1.7.4 (`hls-1.7.4.min.mjs`, Apache-2.0): Chromium and Firefox cannot play HLS in a
  `<video>` element on their own, and the playback decision answers HLS for every stream that
  needs transcoding; writing a Media Source Extensions player of our own would be far worse.
- blurhash 2.0.5 (`blurhash-2.0.5.mjs`, MIT): decodes the placeholders the server stores
  beside each image, so posters paint a blurred preview before the image arrives.
- swagger-ui-dist 5.35.0 (`swagger-ui-5.35.0/`, Apache-2.0): `/docs` works without the
  internet (FastAPI's default page loads it from a CDN) and under the same strict
  Content-Security-Policy, configured from a script file rather than an inline one.
"""
