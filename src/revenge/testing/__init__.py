"""What the tests and the benchmarks share: stand-ins, servers, seeded rows, sample media.

Each in-memory fake implements the same interface as the real component (job queue, search
index, provider key source, catalogue writer), so a service can be exercised without
PostgreSQL, Redis or a network. Tests that check what a person would notice still use the real
ones. The other modules serve both tiers: the PostgreSQL and Redis to run against (`services`),
the app on a loopback port (`live_server`), `revenge` processes (`processes`, `cluster`), a
provider API on loopback answering recorded replies (`fake_api`), rows written straight into
the catalogue (`seed`), small real videos (`video`) and the naming-corpus scorers.
The benchmarks import from here, never from the tests.
"""

from revenge.testing.catalog_writer import MemoryWriter
from revenge.testing.jobs import MemoryJobQueue
from revenge.testing.keys import StaticKeys
from revenge.testing.search import MemorySearchIndex

__all__ = ["MemoryJobQueue", "MemorySearchIndex", "MemoryWriter", "StaticKeys"]
