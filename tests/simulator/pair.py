"""A simulated station and the reference backend's session joined in memory: no sockets, one clock.

Like h11's test helper, frames go straight from one side's `data_to_send()` into the other's
`receive()`; simulated time jumps to the next deadline whenever both sides are quiet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.persistence import Store
from evharness.scenarios.model import Scenario
from evharness.simulator.core.clock import ManualClock
from evharness.simulator.core.model import StationConfig
from evharness.simulator.core.station import Station
from evharness.simulator.driver import Driver, RoundTripHook
from evharness.simulator.protocol import adapter_for
from evharness.simulator.scenario.runner import ScenarioRunner
from evharness.simulator.scenario.station_config import config_for
from evharness.simulator.transfers import perform


@dataclass
class Pair:
    station: Station
    csms: CsmsConnection
    clock: ManualClock
    connected: bool = True
    auto_reconnect: bool = False  # reconnect by itself when a go_offline fault is over
    frames: list[tuple[str, str]] = field(default_factory=list)  # (direction, text)

    @classmethod
    def open(
        cls, identity: str, version: OcppVersion, store: Store, config: StationConfig | None = None
    ) -> Pair:
        clock = ManualClock()
        station = Station(
            identity,
            adapter_for(version),
            config or StationConfig(serial_number=identity),
            clock.now(),
            validate_outgoing=True,
        )
        csms = CsmsConnection(identity, version, store, validate_outgoing=True)
        pair = cls(station, csms, clock)
        station.connection_made(clock.now())
        return pair

    def pump(self) -> bool:
        """Move every waiting frame across, both ways; whether anything moved. Like a transport,
        carry out the station's connection faults: drop when asked, come back when it wants."""
        moved = False
        if not self.connected and self.auto_reconnect and self.station.wants_connection(self.clock.now()):
            self.reconnect()
            moved = True
        while self.connected:
            for transfer in self.station.transfers.take():  # real HTTP, as a transport does it
                self.station.transfer_finished(perform(transfer), self.clock.now())
            outgoing = self.station.data_to_send()
            for text in outgoing:
                self.frames.append(("out", text))
                self.csms.receive(text, self.clock.now())
            incoming = self.csms.data_to_send()
            for text in incoming:
                self.frames.append(("in", text))
                self.station.receive(text, self.clock.now())
            if not outgoing and not incoming:
                break
            moved = True
        if self.connected and self.station.faults.drop_requested:  # after what was already sent
            self.disconnect()
            self.station.faults.drop_requested = False
            moved = True
        return moved

    def settle(self) -> None:
        self.pump()

    def send_follow_ups(self) -> int:
        """Send the CALLs the CSMS connection wants sent after its answers (as the OCPP server does:
        CertificateSigned after SignCertificate …), then move frames; how many were sent."""
        calls = self.csms.take_follow_ups()
        for action, payload in calls:
            self.csms.send_call(action, payload, self.clock.now())
            self.pump()
        return len(calls)

    def advance(self, seconds: float) -> None:
        """Let simulated time pass, stopping at every deadline of the station on the way."""
        target = self.clock.now() + seconds
        while True:
            deadline = self.station.next_deadline()
            self.clock.set(target if deadline is None else min(deadline, target))
            self.station.tick(self.clock.now())
            self.pump()
            if self.clock.now() >= target:
                return

    def disconnect(self) -> None:
        self.connected = False
        self.station.connection_lost(self.clock.now())
        self.csms.connection_lost()

    def reconnect(self) -> None:
        self.station.faults.offline_until = None
        self.connected = True
        self.station.connection_made(self.clock.now())
        self.pump()

    def run(
        self, scenario: Scenario, max_steps: int = 100_000, on_round_trip: RoundTripHook | None = None
    ) -> ScenarioRunner:
        """Drive `scenario` with the transports' own loop (`simulator.driver`), frames moved in memory."""
        self.auto_reconnect = True
        runner = ScenarioRunner(self.station, scenario)
        driver = Driver(
            self.station,
            self.clock,
            runner,
            on_round_trip=on_round_trip,
            start_transfer=lambda t: self.station.transfer_finished(perform(t), self.clock.now()),
        )
        for _ in range(max_steps):
            driver.turn()
            if self.pump() or self.send_follow_ups():  # the CSMS's own CALLs, as its server sends them
                continue
            if runner.done and self.station.idle:
                return runner
            offline_until = self.station.faults.offline_until if not self.connected else None
            candidates = (driver.deadline(), offline_until)
            deadlines = [d for d in candidates if d is not None and d != float("inf")]
            assert deadlines, "stuck: nothing to send, nothing to wait for"
            self.clock.set(min(deadlines))
        raise AssertionError("scenario did not finish")


def scenario_station(scenario: Scenario, identity: str) -> StationConfig:
    return config_for(scenario, identity, call_timeout_s=30.0)
