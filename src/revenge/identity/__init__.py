"""Who is calling and what they may do: principal, permission checks, authenticator, credentials.

Services import this package; the HTTP layer (`api.deps`) only wraps it in FastAPI dependencies.
"""

from revenge.identity.client import ClientInfo
from revenge.identity.principal import ALL_SCOPES, LibraryScope, Principal

__all__ = ["ALL_SCOPES", "ClientInfo", "LibraryScope", "Principal"]
