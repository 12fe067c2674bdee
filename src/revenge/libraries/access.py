"""Which libraries a caller may see.

Decision: administrators see every library. Other users see only the libraries granted to
them in `library_access`; a user with no grants sees none. Granting is explicit so a new
library (say, a private one) is never shown to everybody by accident.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.auth import Principal
from revenge.libraries import repository as repo


async def allowed_library_ids(session: AsyncSession, principal: Principal) -> set[uuid.UUID] | None:
    """None means every library (administrators); otherwise the granted library ids."""
    # The role decides, not the key's scopes: a read-only key of an admin still reads all.
    if principal.role == "admin":
        return None
    return await repo.granted_library_ids(session, principal.user_id)
