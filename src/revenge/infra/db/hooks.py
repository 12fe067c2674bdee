"""Run code when the caller's transaction commits (never on rollback)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

_STARTED = "revenge.after_commit_tasks"


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Call `callback()` (synchronously, keep it tiny) once the session's transaction commits."""

    def fire(_session: Any) -> None:
        callback()

    event.listen(session.sync_session, "after_commit", fire, once=True)


def after_commit_task(session: AsyncSession, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Start `work()` once the session's transaction commits.

    `Database.transaction` waits for it before its caller goes on, so e.g. a change announced
    to other nodes has been announced before the request that made it is answered.
    """
    loop = asyncio.get_running_loop()

    def fire(_session: Any) -> None:
        task = loop.create_task(work())
        session.info.setdefault(_STARTED, []).append(task)

    event.listen(session.sync_session, "after_commit", fire, once=True)


async def wait_after_commit(session: AsyncSession) -> None:
    """Wait for the work `after_commit_task` started on this session (its errors are its own)."""
    tasks: list[asyncio.Task[None]] = session.info.pop(_STARTED, [])
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)
