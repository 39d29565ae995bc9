"""`GET /metrics` of the control port: the fleet in the Prometheus text format, for Grafana.

The metrics are `METRICS` (rendered into docs/metrics.md). Counters are brought up to date when
scraped: each station's round trips are read from where the last scrape stopped, so a scrape costs
the new round trips, not the whole history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, generate_latest

from evharness.prometheus import Metric
from evharness.simulator.asyncio.transport import StationLink
from evharness.simulator.asyncio.web.rows import CONDITION_NAMES, condition

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


STATIONS = Metric(
    "evharness_sim_stations", "gauge", "Stations in each condition (the fleet page's filter)", ("condition",)
)
ROUND_TRIPS = Metric(
    "evharness_sim_round_trips",
    "counter",
    "The stations' CALLs by action and outcome (`ok`: answered; `failed`: CALLERROR, bad answer, timeout)",
    ("action", "outcome"),
)
LATENCY = Metric(
    "evharness_sim_round_trip_seconds",
    "histogram",
    "Real seconds from a station's CALL to its answer",
    ("action",),
)
CONNECTIONS = Metric("evharness_sim_connections", "counter", "WebSocket connections the stations opened")
DISCONNECTIONS = Metric("evharness_sim_disconnections", "counter", "Connections the stations lost")
EXPECTATIONS = Metric(
    "evharness_sim_expectations",
    "counter",
    "Scenario expectations checked, by outcome (`held`, `failed`)",
    ("outcome",),
)
METRICS = [STATIONS, ROUND_TRIPS, LATENCY, CONNECTIONS, DISCONNECTIONS, EXPECTATIONS]


@dataclass
class _Seen:
    round_trips: int = 0
    connections: int = 0
    disconnections: int = 0
    held: int = 0
    failed: int = 0


class FleetMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.stations = STATIONS.gauge(self.registry)
        self.round_trips = ROUND_TRIPS.counter(self.registry)
        self.latency = LATENCY.histogram(self.registry)
        self.connections = CONNECTIONS.counter(self.registry)
        self.disconnections = DISCONNECTIONS.counter(self.registry)
        self.expectations = EXPECTATIONS.counter(self.registry)
        self._seen: dict[str, _Seen] = {}

    def update(self, links: Iterable[StationLink]) -> None:
        counts = dict.fromkeys(CONDITION_NAMES, 0)
        for link in links:
            station = link.station
            counts[condition(station)] += 1
            seen = self._seen.setdefault(station.identity, _Seen())
            trips = station.round_trips
            for trip in trips[seen.round_trips :]:
                self.round_trips.labels(trip.action, "ok" if trip.ok else "failed").inc()
                elapsed = trip.answered_at - trip.sent_at
                real = link.clock.real_delay(elapsed)
                self.latency.labels(trip.action).observe(elapsed if real is None else real)
            seen.round_trips = len(trips)
            self.connections.inc(link.connections - seen.connections)
            self.disconnections.inc(link.disconnections - seen.disconnections)
            seen.connections, seen.disconnections = link.connections, link.disconnections
            if link.runner is not None:
                held = sum(e.ok for e in link.runner.expectations)
                failed = len(link.runner.expectations) - held
                self.expectations.labels("held").inc(held - seen.held)
                self.expectations.labels("failed").inc(failed - seen.failed)
                seen.held, seen.failed = held, failed
        for name, count in counts.items():
            self.stations.labels(name).set(count)

    def render(self, links: Iterable[StationLink]) -> bytes:
        self.update(links)
        return generate_latest(self.registry)
