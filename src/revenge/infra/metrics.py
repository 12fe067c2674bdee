"""Prometheus metrics for HTTP, jobs and the cache, in a registry owned by the runtime."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from revenge.infra.cache.memory import MemoryCache

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)


class Metrics:
    def __init__(self, local_cache: MemoryCache) -> None:
        self.registry = CollectorRegistry()
        self.http_requests = Counter(
            "revenge_http_requests_total",
            "HTTP requests.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_latency = Histogram(
            "revenge_http_request_seconds",
            "HTTP request latency.",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.job_duration = Histogram(
            "revenge_job_seconds",
            "Job run time.",
            ["task"],
            registry=self.registry,
        )
        hits = Gauge("revenge_cache_local_hits", "In-process cache hits.", registry=self.registry)
        misses = Gauge(
            "revenge_cache_local_misses", "In-process cache misses.", registry=self.registry
        )
        hits.set_function(lambda: local_cache.hits)
        misses.set_function(lambda: local_cache.misses)

    def observe_http(self, method: str, route: str, status: int, seconds: float) -> None:
        self.http_requests.labels(method, route, str(status)).inc()
        self.http_latency.labels(method, route).observe(seconds)

    def observe_job(self, task: str, seconds: float) -> None:
        self.job_duration.labels(task).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
