"""The hot-path mapping whose entries live a fixed time (`infra.expiring`)."""

from __future__ import annotations

import time

from revenge.infra.expiring import Expiring


def test_entries_are_forgotten_after_their_time() -> None:
    grants: Expiring[str, int] = Expiring(10, 0.05)
    grants["a"] = 1
    assert grants.get("a") == 1 and grants.get("b") is None
    time.sleep(0.06)
    assert grants.get("a") is None and len(grants) == 0
    grants["a"] = 2  # put again: alive again, for its own full time
    assert grants.get("a") == 2


def test_beyond_its_size_the_oldest_go_first() -> None:
    grants: Expiring[int, int] = Expiring(3, 60)
    for n in range(3):
        grants[n] = n
    grants[0] = 10  # put again: now the newest
    grants[3] = 3
    assert [grants.get(n) for n in range(4)] == [10, None, 2, 3] and len(grants) == 3


def test_expired_entries_are_dropped_before_live_ones() -> None:
    grants: Expiring[int, int] = Expiring(2, 0.05)
    grants[1] = 1
    time.sleep(0.06)
    grants.seconds = 60
    grants[2] = 2
    grants[3] = 3  # over the size: the expired 1 goes, both live ones stay
    assert (grants.get(2), grants.get(3), len(grants)) == (2, 3, 2)
