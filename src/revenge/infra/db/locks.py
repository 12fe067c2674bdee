"""Helpers for short transactions that only take row locks."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func


def no_wait_for_disk() -> ColumnElement[str]:
    """A select-list column turning off the WAL flush at commit for this transaction.

    A transaction that only share-locks rows still writes a WAL record, and with the default
    synchronous_commit its COMMIT waits for an fsync. Nothing in it needs to survive a crash
    (a lock ends with its transaction anyway), so waiting for the disk is pure latency. As a
    column it costs no extra round trip; with no row matched no lock is taken and no WAL written.
    """
    return func.set_config("synchronous_commit", "off", True)
