"""How metadata providers search for and describe albums, artists and tracks."""

from __future__ import annotations

from revenge.metadata.kinds import ProviderKind
from revenge.metadata.protocols import MusicProvider

ALBUM = ProviderKind(
    "album", "music", MusicProvider,
    search=lambda p, facts, title, year, lang: p.search_album(title, facts.artist, year),
    details=lambda p, facts, pid, lang: p.album_details(pid),
)  # fmt: skip
ARTIST = ProviderKind(
    "artist", "music", MusicProvider,
    search=lambda p, facts, title, year, lang: p.search_artist(title),
    details=lambda p, facts, pid, lang: p.artist_details(pid),
)  # fmt: skip
TRACK = ProviderKind(
    "track", "music", MusicProvider,
    search=lambda p, facts, title, year, lang: p.search_recording(title, facts.artist),
    details=lambda p, facts, pid, lang: p.recording_details(pid),
)  # fmt: skip
