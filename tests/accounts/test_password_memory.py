"""A burst of sign-ins does not leave the server holding argon2's memory afterwards."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# 50 verifications at once, as when every player reconnects after a restart. Each argon2id
# hash needs 19 MiB. On glibc's default settings a thread keeps the largest block it freed:
# the process kept 114 MiB on the default executor, 19 MiB on the bounded hashing pool alone,
# and nothing measurable with the allocator settings of `heap.tune_allocator`.
BURST = textwrap.dedent(
    """
    import asyncio
    from revenge.config import AuthSettings
    from revenge.infra import heap
    from revenge.accounts.passwords import Passwords

    heap.tune_allocator()

    def rss_mib():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024

    async def main():
        passwords = Passwords(AuthSettings())
        stored = await passwords.hash("correct horse battery")
        before = rss_mib()
        for _ in range(2):
            results = await asyncio.gather(
                *(passwords.verify(stored, "correct horse battery") for _ in range(50))
            )
            assert all(ok for ok, _ in results)
        print(rss_mib() - before)

    asyncio.run(main())
    """
)


def test_a_burst_of_sign_ins_leaves_little_memory_behind() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BURST], capture_output=True, text=True, timeout=120, check=True
    )
    grown_mib = float(done.stdout.strip())
    assert grown_mib < 8, f"the process kept {grown_mib:.0f} MiB after the burst"
