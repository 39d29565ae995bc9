"""An ISO 15118 EV on the wire (K15–K17): NotifyEVChargingNeeds when it may draw, the schedule it
chooses for each TxProfile in NotifyEVChargingSchedule, renegotiation by the EV, the power it
follows; a 1.6 station (no ISO 15118 messages) only charges."""

from __future__ import annotations

from typing import Any

import pytest

from evharness.ocppj.timefmt import parse_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.ev import EvSpec
from evharness.simulator.core.ev_negotiation import NegotiationState
from evharness.simulator.core.model import StationConfig
from tests.simulator.csms_calls import ask, sent
from tests.simulator.pair import Pair
from tests.simulator.protocol.test_calls import CARD
from tests.simulator.protocol.test_smart_charging_wire import profile

V16, V201 = OcppVersion.V16, OcppVersion.V201


def ev_charging(version: OcppVersion, store: Store, ev: EvSpec) -> Pair:
    pair = Pair.open("SIM-0001", version, store, StationConfig(serial_number="SIM-0001", ev=ev))
    pair.station.boot(pair.clock.now())
    pair.pump()
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, CARD, pair.clock.now())
    pair.pump()
    assert pair.station.evses[1].transaction is not None
    return pair


def tx_profile(pair: Pair, profile_id: int, limit_a: float) -> dict[str, Any]:
    raw = profile(V201, profile_id, "TxProfile", limit_a)
    transaction = pair.station.evses[1].transaction
    assert transaction is not None
    raw["transactionId"] = transaction.key
    return raw


def test_an_iso15118_ev_sends_its_needs_and_follows_its_schedule(store: Store) -> None:
    pair = ev_charging(V201, store, EvSpec(iso15118=True, energy_kwh=20, departure_s=7200))
    (needs,) = sent(pair, "NotifyEVChargingNeeds")
    assert needs["evseId"] == 1
    ac = needs["chargingNeeds"]["acChargingParameters"]
    assert (ac["energyAmount"], ac["evMinCurrent"], ac["evMaxCurrent"]) == (20_000, 6, 15)
    plugged = pair.station.evses[1].ev
    assert plugged is not None
    departure = parse_timestamp(needs["chargingNeeds"]["departureTime"]).timestamp()
    assert departure == pytest.approx(plugged.plugged_at + 7200, abs=1)
    assert ask(pair, "SetChargingProfile", {"evseId": 1, "chargingProfile": tx_profile(pair, 60, 10)}) == {
        "status": "Accepted"
    }
    (schedule,) = sent(pair, "NotifyEVChargingSchedule")
    assert schedule["evseId"] == 1
    assert schedule["chargingSchedule"]["chargingSchedulePeriod"] == [{"startPeriod": 0, "limit": 6900.0}]
    assert pair.station.negotiations.state(1) is NegotiationState.SCHEDULED
    pair.station.ev_draw(1, 11_000.0, pair.clock.now())
    pair.advance(3600)
    assert pair.station.evses[1].meter.energy_wh == pytest.approx(6_900.0, abs=1.0)
    # K16: the CSMS renegotiates: a new TxProfile, a new schedule
    ask(pair, "SetChargingProfile", {"evseId": 1, "chargingProfile": tx_profile(pair, 61, 16)})
    periods = sent(pair, "NotifyEVChargingSchedule")[-1]["chargingSchedule"]["chargingSchedulePeriod"]
    assert periods == [{"startPeriod": 0, "limit": 11000.0}]  # the EV's own maximum below 16 A
    # K17: the EV renegotiates with new needs
    pair.station.ev_renegotiate(1, pair.clock.now(), energy_kwh=5)
    pair.pump()
    assert (
        sent(pair, "NotifyEVChargingNeeds")[-1]["chargingNeeds"]["acChargingParameters"]["energyAmount"]
        == 5000
    )
    pair.station.stop_transaction(1, "Local", pair.clock.now())
    pair.pump()
    assert pair.station.negotiations.state(1) is NegotiationState.IDLE


def test_a_rejecting_ev_answers_the_first_schedule_above_the_limits(store: Store) -> None:
    pair = ev_charging(V201, store, EvSpec(iso15118=True, schedule="reject"))
    ask(pair, "SetChargingProfile", {"evseId": 1, "chargingProfile": tx_profile(pair, 62, 8)})
    (first,) = sent(pair, "NotifyEVChargingSchedule")
    assert first["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"] > 8 * 690
    pair.station.ev_draw(1, 11_000.0, pair.clock.now())
    assert pair.station.evses[1].meter.power_w == pytest.approx(8 * 690)  # the station holds the limit
    ask(pair, "SetChargingProfile", {"evseId": 1, "chargingProfile": tx_profile(pair, 63, 8)})
    second = sent(pair, "NotifyEVChargingSchedule")[-1]
    assert second["chargingSchedule"]["chargingSchedulePeriod"] == [{"startPeriod": 0, "limit": 5520.0}]


def test_a_dc_ev_sends_dc_parameters(store: Store) -> None:
    pair = ev_charging(V201, store, EvSpec(iso15118=True, dc=True, soc_percent=40))
    (needs,) = sent(pair, "NotifyEVChargingNeeds")
    charging = needs["chargingNeeds"]
    assert charging["requestedEnergyTransfer"] == "DC"
    assert charging["dcChargingParameters"]["stateOfCharge"] == 40
    assert "departureTime" not in charging


def test_an_ev_without_iso15118_or_on_16_sends_nothing(store: Store) -> None:
    plain = ev_charging(V201, store, EvSpec())
    assert sent(plain, "NotifyEVChargingNeeds") == []
    old = ev_charging(V16, store, EvSpec(iso15118=True))
    frames = [text for direction, text in old.frames if direction == "out"]
    assert not [f for f in frames if "NotifyEV" in f]
    with pytest.raises(ValueError, match="no ISO 15118 EV"):
        plain.station.ev_renegotiate(1, plain.clock.now(), energy_kwh=3)
