"""Run code when the caller's transaction commits (never on rollback)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Call `callback()` (synchronously, keep it tiny) once the session's transaction commits."""

    def fire(_session: Any) -> None:
        callback()

    event.listen(session.sync_session, "after_commit", fire, once=True)
