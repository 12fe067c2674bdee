"""argon2id password hashing; passwords are checked exactly as typed (no trimming)."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from revenge.config import AuthSettings
from revenge.errors import Unprocessable

MIN_LENGTH = 8
MAX_LENGTH = 1024

# argon2id is CPU-bound and needs its memory cost (19 MiB by default) per hash. On the default
# executor (cores + 4 threads) a burst of sign-ins hashed six at once and glibc kept each
# thread's 19 MiB for good (measured: a server grew from 175 to 315 MiB under bench/load.py,
# 114 MiB of it from 50 verifications). More threads than cores add no throughput; this pool
# bounds both the memory and how many threads a flood of sign-ins can occupy.
HASH_THREADS = max(1, min(4, os.cpu_count() or 1))
_hashers = ThreadPoolExecutor(HASH_THREADS, thread_name_prefix="argon2")


def check_policy(password: str) -> None:
    """Refuse passwords outside 8..1024 characters."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise Unprocessable(
            f"A password must be {MIN_LENGTH} to {MAX_LENGTH} characters long.",
            field="password",
        )


class Passwords:
    """Hash and verify off the event loop (argon2 takes tens of milliseconds by design)."""

    def __init__(self, settings: AuthSettings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )
        # Verified when the account does not exist, so both answers take as long.
        self._dummy = self._hasher.hash("not-a-real-password-0000")

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(
            _hashers, self._hasher.hash, password
        )

    async def verify(self, stored: str | None, password: str) -> tuple[bool, bool]:
        """(matches, needs_rehash). A missing hash still costs one verification."""
        return await asyncio.get_running_loop().run_in_executor(
            _hashers, self._verify_sync, stored, password
        )

    def _verify_sync(self, stored: str | None, password: str) -> tuple[bool, bool]:
        try:
            self._hasher.verify(stored or self._dummy, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False, False
        if stored is None:
            return False, False
        return True, self._hasher.check_needs_rehash(stored)
