"""Prometheus metrics for HTTP, jobs and the cache, in a registry owned by the runtime.

Job queue gauges are read from pgqueuer's table when /metrics is scraped (one grouped count
over the active jobs only), so every node reports the shared queue without bookkeeping.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from revenge.infra.cache.memory import MemoryCache

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)
_JOB_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 1800.0)
JOB_STATES = ("queued", "running", "failed")


class CacheStats(Protocol):
    """Lookups answered from the cache (either tier) and lookups that missed."""

    hits: int
    misses: int


class _CacheCollector(Collector):
    def __init__(self, cache: CacheStats, name: str = "cache", label: str = "Cache") -> None:
        self._cache = cache
        self._name = name
        self._label = label

    def collect(self) -> Iterator[Metric]:
        hits, misses = self._cache.hits, self._cache.misses
        lookups = CounterMetricFamily(
            f"revenge_{self._name}_lookups", f"{self._label} lookups by result.", labels=["result"]
        )
        lookups.add_metric(["hit"], hits)
        lookups.add_metric(["miss"], misses)
        yield lookups
        ratio = GaugeMetricFamily(
            f"revenge_{self._name}_hit_ratio",
            f"Share of {self._label.lower()} lookups that hit, since start.",
        )
        ratio.add_metric([], hits / (hits + misses) if hits + misses else 0.0)
        yield ratio


@dataclass(slots=True)
class _Latency:
    counts: list[int]  # per bucket, the last one above every bound
    total: float = 0.0


class _HttpCollector(Collector):
    """`revenge_http_requests_total` and `revenge_http_request_seconds`, counted in plain
    integers on the event loop's thread, where every request is observed.

    prometheus_client's labelled counter and histogram take a lock for each increment and
    walk the buckets in Python: 1.3 us a request, measured, where this takes a third of it.
    A stream request's whole answer is about a hundred microseconds.
    """

    def __init__(self) -> None:
        self.requests: dict[tuple[str, str, int], int] = {}
        self.latency: dict[tuple[str, str], _Latency] = {}  # per (method, route)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        self.requests[key] = self.requests.get(key, 0) + 1
        series = self.latency.get(key[:2])
        if series is None:
            series = self.latency[key[:2]] = _Latency([0] * (len(_LATENCY_BUCKETS) + 1))
        series.counts[bisect_left(_LATENCY_BUCKETS, seconds)] += 1
        series.total += seconds

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "revenge_http_requests", "HTTP requests.", labels=["method", "route", "status"]
        )
        for (method, route, status), count in list(self.requests.items()):
            requests.add_metric([method, route, str(status)], count)
        yield requests
        latency = HistogramMetricFamily(
            "revenge_http_request_seconds", "HTTP request latency.", labels=["method", "route"]
        )
        bounds = [*(repr(b) for b in _LATENCY_BUCKETS), "+Inf"]
        for labels, series in list(self.latency.items()):
            cumulative, running = [], 0
            for bound, count in zip(bounds, series.counts, strict=True):
                running += count
                cumulative.append((bound, running))
            latency.add_metric(list(labels), cumulative, series.total)
        yield latency


class Metrics:
    def __init__(self, local_cache: MemoryCache, cache: CacheStats | None = None) -> None:
        self.registry = CollectorRegistry()
        # Every metric of this process goes in its own registry, not prometheus' global one.
        counter = partial(Counter, registry=self.registry)
        gauge = partial(Gauge, registry=self.registry)
        histogram = partial(Histogram, registry=self.registry)
        self._http = _HttpCollector()
        self.registry.register(self._http)
        self.job_duration = histogram(
            "revenge_job_seconds", "Job run time.", ["task"], buckets=_JOB_BUCKETS
        )
        self.job_errors = counter(
            "revenge_job_errors_total",
            "Job runs that raised (each attempt counts; see revenge_jobs for held failures).",
            ["task"],
        )
        self.jobs = gauge(
            "revenge_jobs",
            "Jobs in the shared queue by task and state, read at scrape time.",
            ["task", "state"],
        )
        hits = gauge("revenge_cache_local_hits", "In-process cache hits.")
        misses = gauge("revenge_cache_local_misses", "In-process cache misses.")
        hits.set_function(lambda: local_cache.hits)
        misses.set_function(lambda: local_cache.misses)
        self.registry.register(_CacheCollector(cache or local_cache))

    def watch_cache(self, name: str, label: str, stats: CacheStats) -> None:
        """Report another cache's lookups as `revenge_<name>_lookups` and its hit ratio."""
        self.registry.register(_CacheCollector(stats, name, label))

    def observe_http(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count a request and its latency; call it from the event loop's thread."""
        self._http.observe(method, route, status, seconds)

    def observe_job(self, task: str, seconds: float, *, failed: bool = False) -> None:
        self.job_duration.labels(task).observe(seconds)
        if failed:
            self.job_errors.labels(task).inc()

    def set_job_counts(self, tasks: Iterable[str], counts: Iterable[tuple[str, str, int]]) -> None:
        """Replace the queue gauges: every known task shows all states, absent ones as 0."""
        self.jobs.clear()
        for task in tasks:
            for state in JOB_STATES:
                self.jobs.labels(task, state).set(0)
        for task, state, count in counts:
            self.jobs.labels(task, state).set(count)

    def render(self) -> bytes:
        return generate_latest(self.registry)
