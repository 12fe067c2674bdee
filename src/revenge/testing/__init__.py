"""In-memory stand-ins for the fast test tier and the benchmarks.

Each fake implements the same interface as the real component (job queue, search index,
provider key source, catalogue writer), so a service can be exercised without PostgreSQL,
Redis or a network. Tests that check what a person would notice still use the real ones.
"""

from revenge.testing.catalog_writer import MemoryWriter
from revenge.testing.jobs import MemoryJobQueue
from revenge.testing.keys import StaticKeys
from revenge.testing.search import MemorySearchIndex

__all__ = ["MemoryJobQueue", "MemorySearchIndex", "MemoryWriter", "StaticKeys"]
