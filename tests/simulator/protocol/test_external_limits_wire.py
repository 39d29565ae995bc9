"""External limits on the wire (K12/K13): the tester's EMS limits a charging station; a 2.0.1
station tells the CSMS (NotifyChargingLimit, ClearedChargingLimit, TransactionEvent
ChargingRateChanged), reports the limit as a ChargingStationExternalConstraints profile, and
delivers no more than it; a 1.6 station only delivers less."""

from __future__ import annotations

import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.external_limits import ExternalLimit, Tell
from tests.simulator.csms_calls import ask, sent
from tests.simulator.protocol.test_calls import charging

V16, V201 = OcppVersion.V16, OcppVersion.V201


def test_an_ems_limit_on_a_charging_201_station(store: Store) -> None:
    pair = charging(V201, store)
    station, now = pair.station, pair.clock.now()
    station.ev_draw(1, 11_000.0, now)
    assert station.ems_limit(ExternalLimit(1, 4_000.0, grid_critical=True), now) is Tell.NOTIFY
    pair.pump()
    (notified,) = sent(pair, "NotifyChargingLimit")
    assert notified["evseId"] == 1
    assert notified["chargingLimit"] == {"chargingLimitSource": "EMS", "isGridCritical": True}
    (schedule,) = notified["chargingSchedule"]
    assert schedule["chargingSchedulePeriod"][0]["limit"] == 4_000.0
    assert station.evses[1].meter.power_w == 4_000.0
    assert sent(pair, "TransactionEvent")[-1]["triggerReason"] == "ChargingRateChanged"
    # TC_K_52: GetChargingProfiles reports it; the CSMS cannot clear it
    answer = ask(
        pair, "GetChargingProfiles", {"requestId": 3, "chargingProfile": {"chargingLimitSource": ["EMS"]}}
    )
    assert answer == {"status": "Accepted"}
    (report,) = sent(pair, "ReportChargingProfiles")
    assert report["chargingLimitSource"] == "EMS"
    assert report["chargingProfile"][0]["chargingProfilePurpose"] == "ChargingStationExternalConstraints"
    cleared = ask(pair, "ClearChargingProfile", {"chargingProfileCriteria": {"evseId": 1}})
    assert cleared == {"status": "Unknown"}
    composite = ask(pair, "GetCompositeSchedule", {"evseId": 1, "duration": 300})
    assert composite["schedule"]["chargingSchedulePeriod"] == [{"startPeriod": 0, "limit": 4_000.0}]
    pair.advance(3600)
    assert station.evses[1].meter.energy_wh == pytest.approx(4_000.0, abs=1.0)
    # TC_K_51: released with a transaction going on
    assert station.ems_release(1, "EMS", pair.clock.now()) is Tell.CLEARED
    pair.pump()
    assert sent(pair, "ClearedChargingLimit") == [{"chargingLimitSource": "EMS", "evseId": 1}]
    assert station.evses[1].meter.power_w == 11_000.0
    assert sent(pair, "TransactionEvent")[-1]["triggerReason"] == "ChargingRateChanged"


def test_a_station_wide_limit_for_a_while_then_released_by_itself(store: Store) -> None:
    """TC_K_48/50: no transaction; the EMS's limit on the grid connection ends after its duration."""
    pair = charging(V201, store)
    station = pair.station
    station.ems_limit(ExternalLimit(0, 10, "A", "SO", duration_s=600.0), pair.clock.now())
    pair.pump()
    (notified,) = sent(pair, "NotifyChargingLimit")
    assert "evseId" not in notified
    assert notified["chargingLimit"]["chargingLimitSource"] == "SO"
    small = ExternalLimit(0, 10.5, "A", "SO", duration_s=600.0)
    station.device.put("SmartChargingCtrlr.LimitChangeSignificance", "10")
    assert station.ems_limit(small, pair.clock.now()) is Tell.NOTHING  # a 5 % change: not told
    pair.advance(601)
    assert sent(pair, "ClearedChargingLimit") == [{"chargingLimitSource": "SO"}]
    assert station.profiles.profiles == {}


def test_a_16_station_honours_the_limit_and_says_nothing(store: Store) -> None:
    pair = charging(V16, store)
    station, now = pair.station, pair.clock.now()
    station.ev_draw(1, 11_000.0, now)
    station.ems_limit(ExternalLimit(1, 6, "A"), now)
    pair.pump()
    assert station.evses[1].meter.power_w == pytest.approx(6 * 690)
    composite = ask(pair, "GetCompositeSchedule", {"connectorId": 1, "duration": 60, "chargingRateUnit": "A"})
    assert composite["chargingSchedule"]["chargingSchedulePeriod"] == [{"startPeriod": 0, "limit": 6.0}]
    station.ems_release(1, "EMS", pair.clock.now())
    pair.pump()
    assert station.evses[1].meter.power_w == 11_000.0
    frames = [text for direction, text in pair.frames if direction == "out"]
    assert not [f for f in frames if "ChargingLimit" in f]


def test_an_ems_limit_on_an_evse_the_station_lacks_is_refused(store: Store) -> None:
    pair = charging(V201, store)
    with pytest.raises(ValueError, match="no EVSE 7"):
        pair.station.ems_limit(ExternalLimit(7, 1_000.0), pair.clock.now())
    assert pair.station.profiles.profiles == {}
