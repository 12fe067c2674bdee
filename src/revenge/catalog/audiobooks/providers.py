"""How metadata providers search for and describe an audiobook."""

from __future__ import annotations

from revenge.metadata.kinds import ProviderKind
from revenge.metadata.protocols import AudiobookProvider

AUDIOBOOK = ProviderKind(
    "audiobook", "audiobook", AudiobookProvider,
    search=lambda p, facts, title, year, lang: p.search_audiobook(title, facts.artist, year),
    details=lambda p, facts, pid, lang: p.audiobook_details(pid),
)  # fmt: skip
