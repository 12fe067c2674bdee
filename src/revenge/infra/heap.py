"""Keep the garbage collector off the long-lived heap of a server process.

A service process builds hundreds of thousands of objects that live as long as it does
(modules, the ORM's metadata, the routes and their models). Python's full collections walk
all of them: under load they were measured at 90-150 ms, several times a minute, each one a
latency spike for every request in flight (bench/catalog.py, browse p99 ~150 ms). Frozen
after start-up, they are left out of every later collection.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect once, then move every surviving object to the permanent generation.

    Only for server and worker processes, after the application is built: objects frozen
    are never collected, even once unreachable.
    """
    gc.collect()
    gc.freeze()
