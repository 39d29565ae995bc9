"""The loop every transport runs around a station, without I/O: one turn between frames.

A transport (`simulator.asyncio.transport`, `simulator.sync.transport`) only moves frames: after it
connected it calls `connection_made`; then, over and over, `turn()`, sends `data_to_send()`, stops
if `finished` or `should_disconnect()`, waits at most `real_wait()` real seconds for a frame and
hands it to `receive`. Without a connection (backing off before the next attempt) it sleeps the
pauses `offline(seconds)` gives, each after a turn: the station's clock runs on.

A turn ticks the station when its deadline (or the scenario's) has come, drains the station's
events once and hands them on — to the scenario runner, and with the round trips they came with to
`on_round_trip` (a load tool's report) — moves the scenario on as far as it goes, hands the file
transfers the station wants to the transport's `start_transfer`, and lets the journal write what
changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from evharness.simulator.core.clock import Clock
from evharness.simulator.core.events import RoundTrip, StationEvent
from evharness.simulator.core.station import Station
from evharness.simulator.core.transfers import Transfer
from evharness.simulator.scenario.runner import ScenarioRunner

RoundTripHook = Callable[[RoundTrip, float, list[StationEvent]], None]
"""(the round trip, its real duration in seconds, the station events that arrived with its answer)"""
StartTransfer = Callable[[Transfer], None]
"""Start a transfer the station asked for; its result goes back through `Station.transfer_finished`."""


class Journal(Protocol):
    """What a station keeps across a restart: unsent messages, open transactions, meters
    (`simulator.journal_file`)."""

    def restore(self, station: Station) -> int: ...
    def sync(self, station: Station, now: float) -> None: ...


@dataclass
class Driver:
    station: Station
    clock: Clock
    runner: ScenarioRunner | None = None
    journal: Journal | None = None
    on_round_trip: RoundTripHook | None = None
    keep_running: bool = False  # not finished when the scenario is (control API, fixtures)
    start_transfer: StartTransfer | None = None  # the transport's; None: transfers wait

    def deadline(self) -> float | None:
        """The next moment the station or the scenario wants a turn (simulated seconds)."""
        moments = [self.station.next_deadline()]
        if self.runner is not None:
            moments.append(self.runner.next_deadline())
        present = [m for m in moments if m is not None]
        return min(present) if present else None

    def real_wait(self, until: float | None = None) -> float | None:
        """Real seconds until the next deadline (or `until`, if sooner); None: no deadline."""
        moments = [m for m in (self.deadline(), until) if m is not None]
        if not moments:
            return None
        return self.clock.real_delay(max(0.0, min(moments) - self.clock.now()))

    def turn(self) -> None:
        now = self.clock.now()
        deadline = self.deadline()
        if deadline is not None and now >= deadline:
            self.station.tick(now)
        self._dispatch()
        if self.runner is not None:
            while self.runner.step(now):
                self._dispatch()
        if self.start_transfer is not None:
            for transfer in self.station.transfers.take():
                self.start_transfer(transfer)
        self.sync_journal()

    def offline(self, seconds: float) -> Iterator[float]:
        """The real pauses that make up `seconds` real seconds without a connection, a turn before
        each: however the connection was lost, a station keeps charging and metering and queues
        its transaction messages for the replay (issue 13). Over early if the scenario is."""
        until = time.monotonic() + seconds
        while (left := until - time.monotonic()) > 0 and not self.finished:
            self.turn()
            wait = self.real_wait()
            yield left if wait is None else min(left, max(wait, 0.001))

    def receive(self, text: str | bytes) -> None:
        self.station.receive(text, self.clock.now())

    def data_to_send(self) -> list[str]:
        return self.station.data_to_send()

    @property
    def finished(self) -> bool:
        """The scenario is over (done or aborted) and nothing is left to send or to hear."""
        runner = self.runner
        if self.keep_running or runner is None:
            return False
        return (runner.done or runner.aborted is not None) and self.station.idle

    def should_disconnect(self) -> bool:
        """The station asked to drop the connection, or to be offline now (its faults)."""
        return self.station.faults.drop_requested or not self.station.wants_connection(self.clock.now())

    def connection_made(self) -> None:
        self.station.connection_made(self.clock.now())

    def connection_lost(self) -> None:
        if self.station.connected:
            self.station.connection_lost(self.clock.now())
            self.sync_journal()

    def restore_journal(self) -> None:
        if self.journal is not None:
            self.journal.restore(self.station)

    def sync_journal(self) -> None:
        if self.journal is not None:
            self.journal.sync(self.station, self.clock.now())

    def _dispatch(self) -> None:
        events = self.station.events_received()
        trips = self.station.round_trips_received()
        if self.runner is not None and events:
            self.runner.events_received(events)
        hook = self.on_round_trip
        if hook is not None:
            for trip in trips:
                real = self.clock.real_delay(trip.answered_at - trip.sent_at)
                hook(trip, real if real is not None else 0.0, events)
