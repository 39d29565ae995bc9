"""`GET /metrics` of the control port: the fleet in the Prometheus text format, for Grafana.

    evharness_sim_stations{condition}              stations in each condition (`rows.CONDITIONS`)
    evharness_sim_round_trips_total{action,outcome} the stations' CALLs answered (ok) or not (failed:
                                                    CALLERROR, invalid answer, timeout)
    evharness_sim_round_trip_seconds{action}       real seconds from a CALL to its answer (histogram)
    evharness_sim_connections_total / _disconnections_total   WebSocket connections opened / lost
    evharness_sim_expectations_total{outcome}      scenario expectations held / failed

Counters are brought up to date when scraped: each station's round trips are read from where the
last scrape stopped, so a scrape costs the new round trips, not the whole history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from simulator.asyncio.transport import StationLink
from simulator.web.rows import CONDITION_NAMES, condition

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


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
        self.stations = Gauge(
            "evharness_sim_stations", "Stations in each condition", ["condition"], registry=self.registry
        )
        self.round_trips = Counter(
            "evharness_sim_round_trips",
            "CALLs of the stations, by action and outcome (ok: answered; failed: error or timeout)",
            ["action", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "evharness_sim_round_trip_seconds",
            "Real seconds from a station's CALL to the CSMS's answer",
            ["action"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.connections = Counter(
            "evharness_sim_connections", "WebSocket connections the stations opened", registry=self.registry
        )
        self.disconnections = Counter(
            "evharness_sim_disconnections", "Connections the stations lost", registry=self.registry
        )
        self.expectations = Counter(
            "evharness_sim_expectations",
            "Scenario expectations checked, by outcome (held / failed)",
            ["outcome"],
            registry=self.registry,
        )
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
