"""Random plug / token / charge / offline / reconnect / restart / charging-limit sequences against the
reference backend: no transaction is lost, the energy the backend records is the energy the station
metered, 2.0.1 seqNo are gap-free — on a station with a tapering EV and a current limit, whose
queued transaction messages survive simulator restarts through its journal."""

from __future__ import annotations

import itertools
from collections import defaultdict

import orjson
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from evharness import scenarios
from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.persistence import Store
from evharness.seed import seed
from evharness.simulator.core.ev import EvSpec
from evharness.simulator.core.events import CallFailed, StationEvent, TransactionEnded
from evharness.simulator.core.model import PresentedToken, StationConfig
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for
from tests.simulator.csms_calls import ask
from tests.simulator.pair import Pair

TOKENS = [
    PresentedToken(IdType.PIN, "#4821"),  # accepted
    PresentedToken(IdType.PIN, "#7310"),  # blocked
    PresentedToken(IdType.RFID, "04A2B3C4D50001"),  # accepted
    PresentedToken(IdType.RFID, "DEADBEEF"),  # unknown
]
_runs = itertools.count(1)
EV = EvSpec(battery_kwh=30.0, soc_percent=60.0, max_ac_kw=11.0, taper_from_percent=80.0)


def config(identity: str) -> StationConfig:
    return StationConfig(serial_number=identity, max_current_a=16.0, ev=EV)


def limit_payload(version: OcppVersion, amps: float) -> tuple[str, dict[str, object]]:
    schedule = {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": amps}]}
    common = {
        "stackLevel": 1,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Relative",
    }
    if version is OcppVersion.V16:
        body = {"chargingProfileId": 3, **common, "chargingSchedule": schedule}
        return "SetChargingProfile", {"connectorId": 0, "csChargingProfiles": body}
    body = {"id": 3, **common, "chargingSchedule": [{"id": 1, **schedule}]}
    return "SetChargingProfile", {"evseId": 0, "chargingProfile": body}


@pytest.mark.parametrize(
    "version", [OcppVersion.V16, OcppVersion.V201, OcppVersion.V21], ids=lambda v: v.value
)
def test_random_sessions_lose_no_transaction_and_no_energy(
    database_url: str, store: Store, version: OcppVersion
) -> None:
    class Sessions(RuleBasedStateMachine):
        @initialize()
        def boot(self) -> None:
            prefix = f"H{next(_runs)}"
            for name in ("pin_charging", "rfid_charging"):
                seed(database_url, scenarios.load(name), 1, prefix)
            self.identity = f"{prefix}-0001"
            self.pair = Pair.open(self.identity, version, store, config(self.identity))
            self.history: list[StationEvent] = []  # events of the stations before a restart
            self.frames: list[tuple[str, str]] = []
            self.pair.station.boot(self.pair.clock.now())
            self.pair.pump()

        @property
        def now(self) -> float:
            return self.pair.clock.now()

        @rule()
        def plug_in(self) -> None:
            self.pair.station.plug_in(1, 1, self.now)
            self.pair.pump()

        @rule(token=st.sampled_from(TOKENS))
        def present(self, token: PresentedToken) -> None:
            self.pair.station.present_token(1, token, self.now)
            self.pair.pump()

        @rule(minutes=st.integers(1, 30), kw=st.sampled_from([3.7, 7.4, 11.0]))
        def charge(self, minutes: int, kw: float) -> None:
            self.pair.station.ev_draw(1, kw * 1000.0, self.now)
            self.pair.advance(minutes * 60)
            self.pair.station.ev_draw(1, 0.0, self.now)

        @rule(reason=st.sampled_from(["Local", "Other"]))
        def stop(self, reason: str) -> None:
            self.pair.station.stop_transaction(1, reason, self.now)
            self.pair.pump()

        @rule()
        def unplug(self) -> None:
            self.pair.station.unplug(1, 1, self.now)
            self.pair.pump()

        @precondition(lambda self: self.pair.connected)
        @rule(minutes=st.integers(0, 30))
        def go_offline(self, minutes: int) -> None:
            self.pair.disconnect()
            self.pair.advance(minutes * 60)

        @precondition(lambda self: not self.pair.connected)
        @rule()
        def come_back(self) -> None:
            self.pair.reconnect()

        @precondition(lambda self: self.pair.connected)
        @rule(amps=st.sampled_from([6.0, 10.0, 32.0]))
        def csms_limits_the_power(self, amps: float) -> None:
            action, payload = limit_payload(version, amps)
            assert ask(self.pair, action, payload) == {"status": "Accepted"}

        @precondition(lambda self: self.pair.connected)
        @rule(version_number=st.integers(1, 5))
        def csms_sends_a_local_list(self, version_number: int) -> None:
            """The accepted tokens go into the station's list: offline, they charge from it."""
            if version is OcppVersion.V16:
                entries = [
                    {"idTag": t.code, "idTagInfo": {"status": "Accepted"}} for t in (TOKENS[0], TOKENS[2])
                ]
                payload = {
                    "listVersion": version_number,
                    "updateType": "Full",
                    "localAuthorizationList": entries,
                }
            else:
                entries = [
                    {"idToken": {"idToken": code, "type": wire}, "idTokenInfo": {"status": "Accepted"}}
                    for code, wire in ((TOKENS[0].code[1:], "KeyCode"), (TOKENS[2].code, "ISO14443"))
                ]
                payload = {
                    "versionNumber": version_number,
                    "updateType": "Full",
                    "localAuthorizationList": entries,
                }
            assert ask(self.pair, "SendLocalList", payload) == {"status": "Accepted"}

        @precondition(lambda self: self.pair.station.evses[1].transaction is None)
        @rule()
        def restart_the_simulator(self) -> None:
            """A new process: only the journal survives; what it held must still reach the CSMS."""
            old = self.pair
            entries = old.station.journal_entries()
            self.history += old.station.events
            self.frames += old.frames
            station = Station(
                self.identity, adapter_for(version), config(self.identity), self.now, validate_outgoing=True
            )
            station.restore_journal(entries)
            csms = CsmsConnection(self.identity, version, store, validate_outgoing=True)
            self.pair = Pair(station, csms, old.clock, connected=False)
            station.boot(self.now)  # the restored messages wait for the new boot's acceptance
            if old.connected:
                old.csms.connection_lost()
                self.pair.reconnect()

        @invariant()
        def the_backend_never_fails_a_call(self) -> None:
            failures = [e for e in self.pair.station.events if isinstance(e, CallFailed)]
            assert failures == []

        @invariant()
        def the_power_obeys_the_limits(self) -> None:
            evse = self.pair.station.evses[1]
            assert evse.meter.power_w <= 16.0 * 230 * 3 + 1e-6  # max current
            assert evse.meter.power_w <= 11_000.0 + 1e-6

        def teardown(self) -> None:
            pair = self.pair
            if not pair.connected:
                pair.reconnect()
            pair.station.stop_transaction(1, "Local", self.now)
            pair.station.unplug(1, 1, self.now)
            pair.pump()
            assert pair.station.idle
            events = self.history + pair.station.events
            metered = [e.energy_wh for e in events if isinstance(e, TransactionEnded)]
            recorded = [t for t in store.transactions(self.identity) if t.id_token is not None]
            assert all(not t.running for t in recorded)
            assert len(recorded) == len(metered)
            assert sum(t.energy_wh or 0.0 for t in recorded) == pytest.approx(
                sum(metered), abs=len(metered) + 0.01
            )
            if version is not OcppVersion.V16:
                seq: dict[str, list[int]] = defaultdict(list)
                for direction, text in self.frames + pair.frames:
                    frame = orjson.loads(text)
                    if direction == "out" and frame[0] == 2 and frame[2] == "TransactionEvent":
                        seq[frame[3]["transactionInfo"]["transactionId"]].append(frame[3]["seqNo"])
                assert all(numbers == list(range(len(numbers))) for numbers in seq.values())

    run_state_machine_as_test(
        Sessions,
        settings=settings(
            max_examples=15,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
