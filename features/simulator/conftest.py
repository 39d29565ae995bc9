"""Steps and fixtures of the simulator feature suites: a reference backend started in this process
(on the features' background loop) when a feature needs one configured its own way — a security
profile, or a CSMS that sends charging profiles — and stations that record their frames."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
from pytest_bdd import given, parsers, then, when

from evharness import scenarios
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.passwords import set_station_password
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.live import LiveStation, StationError
from evharness.simulator.security import SecurityProfile
from evharness.suites.world import World
from tests.certificates import ThrowawayPki

PASSWORD = "feature-secret-0123"
PREFIX = "LAB"
_labs = itertools.count(1)


@dataclass
class Lab:
    """An in-process reference backend for one feature scenario, and what its stations recorded."""

    directory: Path
    pki: ThrowawayPki
    backend: BackendServer | None = None
    profile: int = 0
    frames: list[tuple[str, str]] = field(default_factory=list)
    refusal: str | None = None
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def identity(self) -> str:
        return f"{PREFIX}-{next(self.numbers):04d}"

    def security(self, identity: str, *, right: bool) -> SecurityProfile:
        if self.profile in (1, 2):
            ca = self.pki.ca if self.profile == 2 else None
            return SecurityProfile(self.profile, PASSWORD if right else "not-the-password", ca_file=ca)
        if self.profile == 3:
            issuer = self.pki if right else ThrowawayPki(_fresh(self.directory / "stranger"))
            pair = issuer.issue(identity, server=False)
            return SecurityProfile(3, ca_file=self.pki.ca, client_cert=pair.cert, client_key=pair.key)
        return SecurityProfile()

    def sent(self, action: str) -> list[dict[str, Any]]:
        frames = [orjson.loads(text) for direction, text in self.frames if direction == "out"]
        return [f[3] for f in frames if f[0] == 2 and f[2] == action]


def _fresh(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def lab(world: World, tmp_path: Path) -> Iterator[Lab]:
    state = Lab(tmp_path, ThrowawayPki(_fresh(tmp_path / "pki")))
    yield state
    if world.station is not None:
        world.portal.run(world.station.close())
        world.station = None
    if state.backend is not None:
        world.portal.run(state.backend.stop())


@given(parsers.parse("a reference backend with security profile {profile:d}"))
def a_reference_backend(world: World, lab: Lab, profile: int) -> None:
    from evharness.seed import seed

    database_url = f"sqlite:///{lab.directory / f'lab{next(_labs)}.sqlite3'}"
    for name in ("pin_charging", "rfid_charging"):
        seed(database_url, scenarios.load(name), 4, PREFIX)
    if profile in (1, 2):  # Basic auth: the right credentials, as `evharness station-password` stores them
        store = Store.from_url(database_url)  # (LAB-0002 tries wrong ones); a station holding a password
        try:  # must present it on every profile but 3, so only these scenarios get one
            set_station_password(store, f"{PREFIX}-0001", PASSWORD)
        finally:
            store.dispose()
    server = lab.pki.issue("127.0.0.1", server=True)
    settings = BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=database_url,
        security_profile=profile,
        tls_cert=str(server.cert),
        tls_key=str(server.key),
        tls_ca=str(lab.pki.ca),
    )
    lab.backend = BackendServer(settings)
    lab.profile = profile
    world.portal.run(lab.backend.start())


def _station(lab: Lab, protocol: str, *, right: bool = True) -> LiveStation:
    assert lab.backend is not None
    identity = lab.identity()
    return LiveStation(
        identity,
        OcppVersion.parse(protocol),
        lab.backend.ocpp_url,
        security=lab.security(identity, right=right),
        on_frame=lambda direction, text, at: lab.frames.append((direction, text)),
    )


@when(parsers.parse("a station connects over OCPP {protocol} with the right credentials and boots"))
@given(parsers.parse("a booted station at that backend that speaks OCPP {protocol}"))
def a_station_with_credentials(world: World, lab: Lab, protocol: str) -> None:
    station = _station(lab, protocol)
    world.portal.run(station.connect())
    world.station = station
    world.answer = world.portal.run(station.boot())


@when(parsers.parse("a station connects over OCPP {protocol} with wrong credentials"))
def a_station_with_wrong_credentials(world: World, lab: Lab, protocol: str) -> None:
    station = _station(lab, protocol, right=False)
    station.link.max_connect_attempts = 1
    try:
        world.portal.run(station.connect())
        lab.refusal = None
    except StationError as error:
        lab.refusal = str(error)
    finally:
        world.portal.run(station.close())


@then("the CSMS refuses the connection")
def the_csms_refuses(lab: Lab) -> None:
    assert lab.refusal is not None, "the CSMS let a station with wrong credentials in"
    assert lab.profile == 3 or "HTTP 401" in lab.refusal, lab.refusal


@given(parsers.parse("a booted station that speaks OCPP {protocol} and records its frames"))
def a_recording_station(world: World, lab: Lab, protocol: str) -> None:
    station = LiveStation(
        world.target.next_identity(),
        OcppVersion.parse(protocol),
        world.target.ocpp_url,
        on_frame=lambda direction, text, at: lab.frames.append((direction, text)),
    )
    world.portal.run(station.connect())
    world.station = station
    assert world.portal.run(station.boot()) == "Accepted"


# -- offline replay ---------------------------------------------------------------------------------


@when("the connection drops")
def the_connection_drops(world: World) -> None:
    world.portal.run(world.live.disconnect())


@when("the connection comes back")
def the_connection_comes_back(world: World) -> None:
    world.portal.run(world.live.reconnect())


@then("the CSMS has heard nothing of the transaction's end yet")
def nothing_of_the_end_yet(world: World, lab: Lab) -> None:
    ended = [p for p in lab.sent("TransactionEvent") if p["eventType"] == "Ended"] + lab.sent(
        "StopTransaction"
    )
    assert ended == []
    assert len(world.live.station.transactional_queue) > 0


@then("every queued transaction message was delivered in order")
def delivered_in_order(world: World, lab: Lab) -> None:
    assert world.live.station.transactional_queue == []
    assert world.live.failures() == []
    if lab.sent("TransactionEvent"):  # 2.0.1: gap-free seqNo; the offline ones say so (E04.FR.03)
        events = lab.sent("TransactionEvent")
        assert [e["seqNo"] for e in events] == list(range(len(events)))
        assert [e["timestamp"] for e in events] == sorted(e["timestamp"] for e in events)
        assert events[-1]["eventType"] == "Ended"
        assert events[-1].get("offline") is True
    else:  # 1.6: StopTransaction after the periodic MeterValues, carrying the CSMS's transactionId
        starts, stops = lab.sent("StartTransaction"), lab.sent("StopTransaction")
        assert len(starts) == len(stops) == 1
        assert stops[0]["transactionId"] != 0
        assert stops[0]["transactionData"]


# -- charging profiles -------------------------------------------------------------------------------


def _tx_profile(protocol: str, limit_a: float, transaction_id: str) -> tuple[str, dict[str, Any]]:
    schedule = {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit_a}]}
    common = {"stackLevel": 1, "chargingProfilePurpose": "TxProfile", "chargingProfileKind": "Relative"}
    if OcppVersion.parse(protocol) is OcppVersion.V16:
        profile = {"chargingProfileId": 7, "transactionId": int(transaction_id), **common}
        return "connectorId", {"csChargingProfiles": {**profile, "chargingSchedule": schedule}}
    profile = {
        "id": 7,
        "transactionId": transaction_id,
        **common,
        "chargingSchedule": [{"id": 1, **schedule}],
    }
    return "evseId", {"chargingProfile": profile}


@when(parsers.parse("the CSMS limits the transaction to {amps:g} A per phase"))
def the_csms_limits(world: World, lab: Lab, amps: float) -> None:
    assert lab.backend is not None
    transaction = world.live.transaction()
    assert transaction is not None
    key, body = _tx_profile(world.live.station.adapter.version.value, amps, transaction.key)
    answer = world.portal.run(
        lab.backend.operations.request(world.live.identity, "SetChargingProfile", {key: 1, **body})
    )
    assert answer["status"] == "Accepted", answer


@when("the CSMS clears the charging profile")
def the_csms_clears(world: World, lab: Lab) -> None:
    assert lab.backend is not None
    payload: dict[str, Any] = (
        {"id": 7} if world.live.station.adapter.version is OcppVersion.V16 else {"chargingProfileId": 7}
    )
    answer = world.portal.run(
        lab.backend.operations.request(world.live.identity, "ClearChargingProfile", payload)
    )
    assert answer["status"] == "Accepted", answer


@when(parsers.parse("the EV asks for {kw:g} kW for {minutes:d} minutes"))
def the_ev_asks(world: World, kw: float, minutes: int) -> None:
    world.delivered_wh = world.portal.run(world.live.charge(seconds=minutes * 60, power_kw=kw))


@then(parsers.parse("the station delivered {kwh:g} kWh"))
def the_station_delivered(world: World, kwh: float) -> None:
    assert abs(world.delivered_wh - kwh * 1000) < 1.0, f"delivered {world.delivered_wh} Wh"


@then(parsers.parse("the station's last meter value shows {kw:g} kW and {amps:g} A per phase"))
def the_last_meter_value(lab: Lab, kw: float, amps: float) -> None:
    samples = [mv for p in lab.sent("MeterValues") for mv in p["meterValue"]]
    samples += [mv for p in lab.sent("TransactionEvent") for mv in p.get("meterValue", [])]
    assert samples, "no meter values were sent"
    values = samples[-1]["sampledValue"]
    power = [float(v["value"]) for v in values if v.get("measurand") == "Power.Active.Import"]
    currents = [float(v["value"]) for v in values if v.get("measurand") == "Current.Import"]
    assert power == [kw * 1000], values
    assert [v.get("phase") for v in values if v.get("measurand") == "Current.Import"] == ["L1", "L2", "L3"]
    assert all(abs(c - amps) < 0.01 for c in currents), currents
