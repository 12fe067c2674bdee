"""Request counts and latency histograms as Prometheus reads them (`infra.metrics`)."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from revenge.infra.cache.memory import MemoryCache
from revenge.infra.metrics import Metrics


def test_requests_and_latencies_are_exposed_per_route_and_bucket() -> None:
    metrics = Metrics(MemoryCache())
    for seconds in (0.0005, 0.001, 0.003, 0.003, 20.0):
        metrics.observe_http("GET", "/api/v1/items", 200, seconds)
    metrics.observe_http("GET", "/api/v1/items", 404, 0.002)
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(metrics.render().decode())
        for s in family.samples
    }
    route = (("method", "GET"), ("route", "/api/v1/items"))

    def bucket(le: str) -> float:
        return samples[("revenge_http_request_seconds_bucket", tuple(sorted((*route, ("le", le)))))]

    ok = tuple(sorted((*route, ("status", "200"))))
    assert samples[("revenge_http_requests_total", ok)] == 5
    assert samples[("revenge_http_requests_total", tuple(sorted((*route, ("status", "404")))))] == 1
    # A bound counts what is at or under it, and every bucket what the ones under it count.
    assert [bucket(le) for le in ("0.001", "0.0025", "0.005", "10.0", "+Inf")] == [2, 3, 5, 5, 6]
    assert samples[("revenge_http_request_seconds_count", route)] == 6
    assert abs(samples[("revenge_http_request_seconds_sum", route)] - 20.0095) < 1e-9
