"""Periodic meter samples against a CSMS slower than the meter interval (issue 13): the station
samples on a clock, skips a sample due while the last is still on its way, and a driver's Authorize
goes out next, never behind a pile of samples. Offline, every sample is kept for the replay."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.simulator.core.clock import ManualClock
from evharness.simulator.core.model import PresentedToken, StationConfig
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for
from tests.strict_csms import ANSWERS

INTERVAL = 60.0  # simulated seconds between samples (×600: 100 ms)
ROUND_TRIP = 82.0  # simulated seconds the CSMS takes to answer (×600: 137 ms)
CARD = PresentedToken(IdType.RFID, "04A2B3C4")
VERSIONS = [OcppVersion.V16, OcppVersion.V201]


class SlowCsms:
    """Answers every CALL of the station ROUND_TRIP simulated seconds after it was sent."""

    def __init__(self, version: OcppVersion) -> None:
        self.clock = ManualClock()
        config = StationConfig(
            serial_number="SLOW-1", evses=2, meter_interval_s=INTERVAL, call_timeout_s=30 * 600.0
        )
        self.station = Station("SLOW-1", adapter_for(version), config, self.clock.now())
        self.pending: list[tuple[float, list[Any]]] = []
        self.calls: list[tuple[float, str]] = []  # (sent at, action)
        self.longest_queue = 0

    def run(self, seconds: float) -> None:
        target = self.clock.now() + seconds
        while True:
            self._collect()
            moments = [
                m for m in (self.station.next_deadline(), *(d for d, _ in self.pending)) if m is not None
            ]
            step = min([target, *moments])
            self.clock.set(step)
            for due, frame in [p for p in self.pending if p[0] <= self.clock.now()]:
                self.pending.remove((due, frame))
                answer = ANSWERS[frame[2]](frame[3])
                if frame[2] == "BootNotification":
                    answer["interval"] = 86_400
                self.station.receive(orjson.dumps([3, frame[1], answer]), self.clock.now())
            self.station.tick(self.clock.now())
            self._collect()
            if self.clock.now() >= target:
                return

    def _collect(self) -> None:
        for text in self.station.data_to_send():
            frame = orjson.loads(text)
            if frame[0] == 2:
                self.calls.append((self.clock.now(), frame[2]))
                self.pending.append((self.clock.now() + ROUND_TRIP, frame))
        self.longest_queue = max(self.longest_queue, len(self.station.outbox.transactional))


def charging(version: OcppVersion) -> SlowCsms:
    csms = SlowCsms(version)
    csms.station.connection_made(csms.clock.now())
    csms.station.boot(csms.clock.now())
    csms.run(10 * ROUND_TRIP)
    csms.station.plug_in(1, 1, csms.clock.now())
    csms.station.present_token(1, CARD, csms.clock.now())
    csms.run(10 * ROUND_TRIP)
    csms.station.ev_draw(1, 7_400.0, csms.clock.now())
    return csms


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_samples_never_pile_up_behind_a_slow_csms(version: OcppVersion) -> None:
    csms = charging(version)
    csms.run(3_000.0)  # 50 intervals, at most ~36 round trips
    assert csms.longest_queue <= 2  # the one in flight, and at most one more
    sample = "MeterValues" if version is OcppVersion.V16 else "TransactionEvent"
    samples = [at for at, action in csms.calls if action == sample]
    assert len(samples) >= 3_000.0 / (ROUND_TRIP * 2)  # still metering all the while


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_a_drivers_authorize_goes_out_next(version: OcppVersion) -> None:
    csms = charging(version)
    csms.run(3_000.0)
    presented_at = csms.clock.now()
    csms.station.plug_in(2, 1, presented_at)
    csms.station.present_token(2, PresentedToken(IdType.RFID, "0A0B0C0D"), presented_at)
    csms.run(4 * ROUND_TRIP)
    (sent_at,) = [at for at, action in csms.calls if action == "Authorize" and at >= presented_at]
    # after what is in flight and what the plug-in itself caused (StatusNotification; 2.0.1 Started)
    assert sent_at - presented_at <= 3 * ROUND_TRIP


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_offline_every_sample_is_kept_for_the_replay(version: OcppVersion) -> None:
    csms = charging(version)
    csms.run(5 * ROUND_TRIP)
    csms.station.connection_lost(csms.clock.now())
    csms.pending.clear()
    csms.run(600.0)  # ten intervals offline
    waiting = [c for c in csms.station.outbox.transactional if getattr(c.note, "moment", None) is not None]
    assert len(waiting) >= 10


def test_the_station_says_what_it_waits_for() -> None:
    """A run that times out says it for each unfinished station (issue 13)."""
    csms = charging(OcppVersion.V16)
    csms.station.plug_in(2, 1, csms.clock.now())
    csms.station.present_token(2, PresentedToken(IdType.RFID, "0A0B0C0D"), csms.clock.now())
    csms.run(ROUND_TRIP / 2)
    said = csms.station.waiting_for(csms.clock.now())
    assert said.startswith("the answer to "), said
    assert " s ago" in said
    assert "queued: " in said
    csms.station.connection_lost(csms.clock.now())
    assert csms.station.waiting_for(csms.clock.now()).startswith("a connection to the CSMS")
