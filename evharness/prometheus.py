"""Prometheus metrics declared as data: the backend's and the simulator's `/metrics` are built from
these declarations, and the docs' tables are rendered from the same ones (a test keeps them equal)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

SECONDS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


@dataclass(frozen=True)
class Metric:
    name: str  # a counter without its `_total`
    kind: Literal["counter", "gauge", "histogram"]
    what: str
    labels: tuple[str, ...] = ()

    def counter(self, registry: CollectorRegistry) -> Counter:
        assert self.kind == "counter", self.name
        return Counter(self.name, self.what, self.labels, registry=registry)

    def gauge(self, registry: CollectorRegistry) -> Gauge:
        assert self.kind == "gauge", self.name
        return Gauge(self.name, self.what, self.labels, registry=registry)

    def histogram(self, registry: CollectorRegistry) -> Histogram:
        assert self.kind == "histogram", self.name
        return Histogram(self.name, self.what, self.labels, buckets=SECONDS, registry=registry)

    @property
    def shown(self) -> str:
        return f"{self.name}_total" if self.kind == "counter" else self.name


def render_markdown(metrics: Sequence[Metric]) -> str:
    rows = ["| metric | type | labels | what |", "|---|---|---|---|"]
    for metric in metrics:
        rows.append(
            f"| `{metric.shown}` | {metric.kind} | {', '.join(metric.labels) or '–'} | {metric.what} |"
        )
    return "\n".join(rows) + "\n"


def sample_names(metrics: Sequence[Metric]) -> set[str]:
    """The names a PromQL query may use: `…_total`, `…_bucket`, `…_count`, `…_sum`, gauges as they are."""
    return {metric.name + suffix for metric in metrics for suffix in SUFFIXES[metric.kind]}
