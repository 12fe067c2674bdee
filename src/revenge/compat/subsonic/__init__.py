"""The OpenSubsonic API at `/rest/<method>` (and `<method>.view`), GET or form POST.

Answers are XML, or JSON with `f=json`; errors are HTTP 200 with `status="failed"` and the
spec's code. Audio and images are sent as themselves. Ids are the Revenge ids with a kind
prefix (`al-<uuid>` an album, `tr-` a track...), music folder ids are integers derived from
library ids. Callers authenticate with an OpenSubsonic `apiKey` (a personal access key) or
with an app password (token+salt, or plainly over HTTPS / when `subsonic.plain_passwords`
is on); account passwords are argon2id hashes and never work for token auth.
"""
