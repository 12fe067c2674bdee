"""Collections reuse the playlist fixtures: users, a shared and a private library."""

from tests.playlists.conftest import api, catalogue

__all__ = ["api", "catalogue"]
