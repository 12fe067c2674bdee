"""Failed sign-in limits, shared by every node, that slow attackers without locking out owners.

Three counters, each an exact sliding window:
- the client address: at most 10 failures a minute and 100 an hour, over every account;
- the account name *from that address*: the same limits, so one address cannot guess
  one account quickly, while failures from an attacker's address do not refuse the owner
  signing in from theirs;
- the account name from anywhere: only the hourly lockout (100 failures), against guesses
  spread over many addresses; a device that signed in to the account before (same device id
  or address as an earlier session) is still let through.
Account names are counted whether the account exists or not, so the answer reveals nothing.
Failures are counted in Redis sorted sets when Redis is configured and answering; every
failure is also written to `login_failures`, which is counted instead whenever Redis is
absent or down. Wrong current passwords (password change) and wrong second-factor codes
count the same way.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from datetime import UTC, datetime, timedelta

import redis.asyncio as aioredis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts import login_failures_repository as repo

log = logging.getLogger(__name__)

PER_MINUTE = 10
PER_HOUR = 100
_REDIS_ERRORS = (RedisError, OSError, asyncio.TimeoutError)


def account_key(username: str) -> str:
    """Failures of "Alice" and "alice" count together (usernames are case-insensitive)."""
    return username.strip().lower()[:64]


def _retry_after(minute: int, hour: int) -> int | None:
    if hour >= PER_HOUR:
        return 3600
    if minute >= PER_MINUTE:
        return 60
    return None


class LoginLimiter:
    """Answers "may this account/address try again now?" and records failures."""

    def __init__(self, redis_url: str | None, prefix: str) -> None:
        self._redis: aioredis.Redis | None = None
        if redis_url:
            self._redis = aioredis.from_url(
                redis_url, socket_timeout=0.5, socket_connect_timeout=0.5
            )
        self._prefix = prefix + "loginfail:"

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()

    def _subjects(self, account: str, ip: str | None) -> list[str]:
        return [f"a:{account}", f"a:{account}@{ip or '-'}"] + ([f"ip:{ip}"] if ip else [])

    async def retry_after(
        self, session: AsyncSession, account: str, ip: str | None, *, known_device: bool = False
    ) -> int | None:
        """Seconds to wait when this address, or this account, is over a limit, else None.

        `known_device`: the caller signed in to this account before, so the account-wide
        lockout (the one strangers can trigger) does not apply to it.
        """
        counts = await self._redis_counts(self._subjects(account, ip))
        if counts is None:
            counts = [
                await _db_counts(session, account, None),
                await _db_counts(session, account, ip, exact_ip=True),
            ]
            if ip:
                counts.append(await _db_counts(session, None, ip))
        account_wide, *local = counts
        waits = [w for w in (_retry_after(m, h) for m, h in local) if w is not None]
        if not known_device and account_wide[1] >= PER_HOUR:
            waits.append(3600)
        return max(waits) if waits else None

    async def record_failure(self, session: AsyncSession, account: str, ip: str | None) -> None:
        await repo.add(session, account, ip)
        if self._redis is None:
            return
        now = time.time()
        try:
            pipe = self._redis.pipeline(transaction=False)
            for subject in self._subjects(account, ip):
                key = self._prefix + subject
                pipe.zadd(key, {f"{now}:{secrets.token_hex(4)}": now})
                pipe.zremrangebyscore(key, 0, now - 3600)
                pipe.expire(key, 3700)
            await pipe.execute()
        except _REDIS_ERRORS as exc:
            log.warning("login limiter: redis unavailable, counting in the database: %s", exc)

    async def _redis_counts(self, subjects: list[str]) -> list[tuple[int, int]] | None:
        if self._redis is None:
            return None
        now = time.time()
        try:
            pipe = self._redis.pipeline(transaction=False)
            for subject in subjects:
                key = self._prefix + subject
                pipe.zcount(key, now - 60, "+inf")
                pipe.zcount(key, now - 3600, "+inf")
            raw = await pipe.execute()
        except _REDIS_ERRORS:
            return None
        return [(int(raw[i]), int(raw[i + 1])) for i in range(0, len(raw), 2)]


async def _db_counts(
    session: AsyncSession, account: str | None, ip: str | None, *, exact_ip: bool = False
) -> tuple[int, int]:
    return await repo.counts(session, datetime.now(UTC), account, ip, exact_ip=exact_ip)


async def cleanup(session: AsyncSession) -> int:
    """Forget failures older than the longest window (maintenance step)."""
    cutoff = datetime.now(UTC) - timedelta(hours=2)
    return await repo.delete_before(session, cutoff)
