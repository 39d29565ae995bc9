"""Smart charging on the wire (2.0.1 K01/K05/K08/K09/K10, 1.6 §5.5/§5.11/§5.16): GetChargingProfiles
and its reports, ClearChargingProfile by id and by criteria, a remote start's TxProfile — through a
`Pair` (the station's frames validated against the official schemas)."""

from __future__ import annotations

from typing import Any

import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.model import StationConfig
from tests.simulator.csms_calls import ask, sent
from tests.simulator.pair import Pair
from tests.simulator.protocol.test_calls import CARD, DRIVER, booted, charging

V16, V201 = OcppVersion.V16, OcppVersion.V201


def profile(
    version: OcppVersion, profile_id: int, purpose: str, limit_a: float, stack: int = 0
) -> dict[str, Any]:
    schedule: dict[str, Any] = {
        "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit_a, "numberPhases": 3}],
    }
    common = {"stackLevel": stack, "chargingProfilePurpose": purpose, "chargingProfileKind": "Relative"}
    if version is V16:
        return {"chargingProfileId": profile_id, **common, "chargingSchedule": schedule}
    return {"id": profile_id, **common, "chargingSchedule": [{"id": profile_id, **schedule}]}


def install(pair: Pair, version: OcppVersion, evse: int, raw: dict[str, Any]) -> str:
    if version is V16:
        payload = {"connectorId": evse, "csChargingProfiles": raw}
    else:
        payload = {"evseId": evse, "chargingProfile": raw}
    status: str = ask(pair, "SetChargingProfile", payload)["status"]
    return status


def three_profiles(pair: Pair, version: OcppVersion) -> None:
    station_max = "ChargePointMaxProfile" if version is V16 else "ChargingStationMaxProfile"
    assert install(pair, version, 0, profile(version, 1, station_max, 32)) == "Accepted"
    assert install(pair, version, 0, profile(version, 2, "TxDefaultProfile", 16, stack=1)) == "Accepted"
    assert install(pair, version, 1, profile(version, 3, "TxDefaultProfile", 10, stack=2)) == "Accepted"


def reports(pair: Pair, request_id: int) -> list[dict[str, Any]]:
    return [r for r in sent(pair, "ReportChargingProfiles") if r["requestId"] == request_id]


def test_get_charging_profiles_reports_per_evse_with_tbc(store: Store) -> None:
    pair = booted(V201, store)
    three_profiles(pair, V201)
    assert ask(pair, "GetChargingProfiles", {"requestId": 5, "chargingProfile": {}}) == {"status": "Accepted"}
    pages = reports(pair, 5)
    assert [(p["evseId"], p["chargingLimitSource"], p["tbc"]) for p in pages] == [
        (0, "CSO", True),
        (1, "CSO", False),
    ]
    assert [p["id"] for p in pages[0]["chargingProfile"]] == [1, 2]
    (reported,) = pages[1]["chargingProfile"]
    assert reported == profile(V201, 3, "TxDefaultProfile", 10, stack=2)  # as the CSMS sent it


@pytest.mark.parametrize(
    ("request_", "ids"),
    [
        ({"evseId": 0, "chargingProfile": {}}, [1, 2]),  # TC_K_29
        ({"evseId": 1, "chargingProfile": {}}, [3]),  # TC_K_30
        ({"chargingProfile": {"chargingProfileId": [2]}}, [2]),  # TC_K_32
        ({"evseId": 1, "chargingProfile": {"stackLevel": 2}}, [3]),  # TC_K_33
        ({"evseId": 1, "chargingProfile": {"chargingLimitSource": ["CSO"]}}, [3]),  # TC_K_34
        ({"evseId": 0, "chargingProfile": {"chargingProfilePurpose": "TxDefaultProfile"}}, [2]),  # TC_K_35
        ({"chargingProfile": {"chargingProfilePurpose": "TxDefaultProfile", "stackLevel": 1}}, [2]),
        ({"evseId": 1, "chargingProfile": {"chargingLimitSource": ["EMS"]}}, []),
    ],
)
def test_get_charging_profiles_criteria(store: Store, request_: dict[str, Any], ids: list[int]) -> None:
    pair = booted(V201, store)
    three_profiles(pair, V201)
    answer = ask(pair, "GetChargingProfiles", {"requestId": 9, **request_})
    assert answer == {"status": "Accepted" if ids else "NoProfiles"}
    assert [p["id"] for page in reports(pair, 9) for p in page["chargingProfile"]] == ids


@pytest.mark.parametrize("version", [V16, V201], ids=lambda v: v.value)
def test_clear_by_id_then_by_criteria(store: Store, version: OcppVersion) -> None:
    pair = booted(version, store)
    three_profiles(pair, version)

    def clear(**fields: Any) -> str:
        if version is V16:
            names = {"id": "id", "evse": "connectorId", "purpose": "chargingProfilePurpose"}
            payload = {names[k]: v for k, v in fields.items() if k in names}
            payload |= {"stackLevel": fields["stack"]} if "stack" in fields else {}
        else:
            criteria = {
                {"evse": "evseId", "purpose": "chargingProfilePurpose", "stack": "stackLevel"}[k]: v
                for k, v in fields.items()
                if k != "id"
            }
            payload = {"chargingProfileId": fields["id"]} if "id" in fields else {}
            payload |= {"chargingProfileCriteria": criteria} if criteria else {}
        status: str = ask(pair, "ClearChargingProfile", payload)["status"]
        return status

    assert clear(id=3, evse=0) == "Accepted"  # TC_K_05: by id, the other fields ignored
    assert sorted(pair.station.profiles.profiles) == [1, 2]
    assert clear(id=3) == "Unknown"  # TC_K_08
    assert clear(evse=0, purpose="TxDefaultProfile", stack=0) == "Unknown"
    assert clear(evse=0, purpose="TxDefaultProfile", stack=1) == "Accepted"  # TC_K_06
    assert sorted(pair.station.profiles.profiles) == [1]
    assert clear() == "Accepted"
    assert pair.station.profiles.profiles == {}


@pytest.mark.parametrize("version", [V16, V201], ids=lambda v: v.value)
def test_a_remote_start_with_a_tx_profile_charges_under_it(store: Store, version: OcppVersion) -> None:
    """TC_K_37 / 1.6 §5.11: the TxProfile applies to the transaction it starts, and ends with it."""
    pair = booted(version, store)
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.pump()
    raw = profile(version, 40, "TxProfile", 8)
    if version is V16:
        request = {"connectorId": 1, "idTag": CARD.code, "chargingProfile": raw}
        answer = ask(pair, "RemoteStartTransaction", request)
    else:
        token = {"idToken": CARD.code, "type": "ISO14443"}
        request = {"evseId": 1, "remoteStartId": 3, "idToken": token, "chargingProfile": raw}
        answer = ask(pair, "RequestStartTransaction", request)
    assert answer["status"] == "Accepted"
    transaction = pair.station.evses[1].transaction
    assert transaction is not None
    assert transaction.authorized
    pair.station.ev_draw(1, 11_000.0, pair.clock.now())
    assert pair.station.evses[1].meter.power_w == pytest.approx(8 * 230 * 3)
    pair.station.stop_transaction(1, "Local", pair.clock.now())
    pair.pump()
    assert 40 not in pair.station.profiles.profiles


@pytest.mark.parametrize("version", [V16, V201], ids=lambda v: v.value)
@pytest.mark.parametrize("refused", ["TxDefaultProfile", "with transactionId"])
def test_a_remote_start_with_another_profile_is_rejected(
    store: Store, version: OcppVersion, refused: str
) -> None:
    pair = booted(version, store)
    raw = profile(version, 41, "TxProfile" if refused == "with transactionId" else refused, 8)
    if refused == "with transactionId":
        raw["transactionId"] = 77 if version is V16 else "t-77"
    if version is V16:
        answer = ask(
            pair, "RemoteStartTransaction", {"connectorId": 1, "idTag": CARD.code, "chargingProfile": raw}
        )
    else:
        token = {"idToken": CARD.code, "type": "ISO14443"}
        answer = ask(
            pair,
            "RequestStartTransaction",
            {"evseId": 1, "remoteStartId": 4, "idToken": token, "chargingProfile": raw},
        )
    assert answer["status"] == "Rejected"
    assert pair.station.profiles.profiles == {}


@pytest.mark.parametrize("version", [V16, V201], ids=lambda v: v.value)
def test_1_6_and_2_0_1_stacking_tx_over_tx_default_and_the_least_of_the_purposes(
    store: Store, version: OcppVersion
) -> None:
    pair = charging(version, store)
    pair.station.ev_draw(1, 22_000.0, pair.clock.now())
    three_profiles(pair, version)  # station max 32 A, TxDefault 16 A on 0, TxDefault 10 A on EVSE 1
    meter = pair.station.evses[1].meter
    assert meter.power_w == pytest.approx(10 * 690)  # the EVSE's own TxDefault over EVSE 0's
    transaction = pair.station.evses[1].transaction
    assert transaction is not None
    tx = profile(version, 50, "TxProfile", 20)
    tx["transactionId"] = transaction.csms_id if version is V16 else transaction.key
    assert install(pair, version, 1, tx) == "Accepted"
    assert meter.power_w == pytest.approx(11_000.0)  # TxProfile 20 A beats TxDefault, EVSE 11 kW caps
    station_max = "ChargePointMaxProfile" if version is V16 else "ChargingStationMaxProfile"
    assert install(pair, version, 0, profile(version, 1, station_max, 6)) == "Accepted"
    assert meter.power_w == pytest.approx(6 * 690)  # the station's maximum caps it all
    if version is V16:
        composite = ask(
            pair, "GetCompositeSchedule", {"connectorId": 1, "duration": 60, "chargingRateUnit": "A"}
        )
        periods = composite["chargingSchedule"]["chargingSchedulePeriod"]
    else:
        composite = ask(pair, "GetCompositeSchedule", {"evseId": 1, "duration": 60, "chargingRateUnit": "A"})
        periods = composite["schedule"]["chargingSchedulePeriod"]
    assert periods == [{"startPeriod": 0, "limit": 6.0}]


@pytest.mark.parametrize("version", [V16, V201], ids=lambda v: v.value)
def test_the_station_maximum_is_shared_by_its_evses(store: Store, version: OcppVersion) -> None:
    """ChargingStationMaxProfile / ChargePointMaxProfile limits the whole station (K01): two
    charging EVSEs share it; when one ends, the other takes what it left."""
    config = StationConfig(serial_number="SIM-0001", evses=2)
    pair = Pair.open("SIM-0001", version, store, config)
    pair.station.boot(pair.clock.now())
    pair.pump()
    for evse, token in ((1, CARD), (2, DRIVER)):
        pair.station.plug_in(evse, 1, pair.clock.now())
        pair.station.present_token(evse, token, pair.clock.now())
        pair.pump()
        pair.station.ev_draw(evse, 11_000.0, pair.clock.now())
    station_max = "ChargePointMaxProfile" if version is V16 else "ChargingStationMaxProfile"
    assert install(pair, version, 0, profile(version, 1, station_max, 16)) == "Accepted"
    meters = [pair.station.evses[evse].meter for evse in (1, 2)]
    assert [m.power_w for m in meters] == [pytest.approx(8 * 690), pytest.approx(8 * 690)]
    pair.station.ev_draw(2, 2_000.0, pair.clock.now())
    assert [m.power_w for m in meters] == [pytest.approx(16 * 690 - 2_000), pytest.approx(2_000)]
    pair.station.stop_transaction(2, "Local", pair.clock.now())
    pair.pump()
    assert [m.power_w for m in meters] == [pytest.approx(11_000), 0.0]  # the EVSE's own maximum


@pytest.mark.parametrize("version", [V16, V201], ids=lambda v: v.value)
def test_a_station_without_smart_charging_answers_not_supported(store: Store, version: OcppVersion) -> None:
    """TC_K_15: the tester's station without smart charging (SmartChargingCtrlr.Enabled false)."""
    config = StationConfig(serial_number="SIM-0001", variables=(("SmartChargingCtrlr.Enabled", "false"),))
    pair = Pair.open("SIM-0001", version, store, config)
    pair.station.boot(pair.clock.now())
    pair.pump()
    station_max = "ChargePointMaxProfile" if version is V16 else "ChargingStationMaxProfile"
    with pytest.raises(AssertionError, match="CALLERROR NotSupported"):
        install(pair, version, 0, profile(version, 1, station_max, 16))
    with pytest.raises(AssertionError, match="CALLERROR NotSupported"):
        ask(pair, "ClearChargingProfile", {})
    assert pair.station.profiles.profiles == {}


@pytest.mark.parametrize("version", [V16, V201], ids=lambda v: v.value)
def test_periods_out_of_order_are_rejected(store: Store, version: OcppVersion) -> None:
    """K01.FR.31/35: the first period starts at 0, the others after it; in a remote start too."""
    pair = booted(version, store)
    raw = profile(version, 7, "TxDefaultProfile", 16)
    schedule = raw["chargingSchedule"] if version is V16 else raw["chargingSchedule"][0]
    schedule["chargingSchedulePeriod"] = [{"startPeriod": 600, "limit": 6}, {"startPeriod": 0, "limit": 16}]
    assert install(pair, version, 1, raw) == "Rejected"
    tx = profile(version, 8, "TxProfile", 16)
    (tx["chargingSchedule"] if version is V16 else tx["chargingSchedule"][0])["chargingSchedulePeriod"][0][
        "startPeriod"
    ] = 60
    if version is V16:
        answer = ask(
            pair, "RemoteStartTransaction", {"connectorId": 1, "idTag": CARD.code, "chargingProfile": tx}
        )
    else:
        token = {"idToken": CARD.code, "type": "ISO14443"}
        request = {"evseId": 1, "remoteStartId": 5, "idToken": token, "chargingProfile": tx}
        answer = ask(pair, "RequestStartTransaction", request)
    assert answer["status"] == "Rejected"
    assert pair.station.profiles.profiles == {}
