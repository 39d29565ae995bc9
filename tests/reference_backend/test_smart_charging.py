"""Smart charging at the reference backend, the test playing the station with raw OCPP frames over a
real socket, as the OCTT does (the station and helpers of test_reservations): profiles the station
accepted are kept and cleared, EV charging needs are answered with a TxProfile, an EV schedule over
the CSMS's limits is refused and renegotiated, and reports and external limits are kept."""

from __future__ import annotations

import time
from typing import Any

import pytest

from evharness.conformance.station import OcttStation
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer

from .test_reservations import operate, run

V16, V201 = OcppVersion.V16, OcppVersion.V201


def schedule(limit: float, unit: str = "A") -> dict[str, Any]:
    return {"chargingRateUnit": unit, "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}]}


def profile_201(profile_id: int, purpose: str, stack: int, limit: float, **extra: Any) -> dict[str, Any]:
    body = {
        "id": profile_id,
        "stackLevel": stack,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": "Relative",
        "chargingSchedule": [{"id": 1, **schedule(limit)}],
        **extra,
    }
    return body


async def start_201(station: OcttStation, transaction: str, evse: int = 1) -> None:
    event = {
        "eventType": "Started",
        "timestamp": format_timestamp(time.time()),
        "triggerReason": "CablePluggedIn",
        "seqNo": 0,
        "transactionInfo": {"transactionId": transaction, "chargingState": "EVConnected"},
        "evse": {"id": evse, "connectorId": 1},
    }
    (await station.call("TransactionEvent", event)).require()


def test_profiles_the_station_accepted_are_kept_replaced_and_cleared(sqlite_url: str) -> None:
    async def scenario(backend: BackendServer, station: OcttStation, station_id: int) -> None:
        records = backend.store.charging
        set_ = {"evseId": 1, "chargingProfile": profile_201(7, "TxDefaultProfile", 2, 16)}
        assert await operate(backend, "SetChargingProfile", set_) == {"status": "Accepted"}
        again = {"evseId": 1, "chargingProfile": profile_201(8, "TxDefaultProfile", 2, 10)}  # same slot
        await operate(backend, "SetChargingProfile", again)
        station.answer_with("SetChargingProfile", {"status": "Rejected"})
        refused = {"evseId": 0, "chargingProfile": profile_201(9, "ChargingStationMaxProfile", 0, 32)}
        await operate(backend, "SetChargingProfile", refused)
        (kept,) = records.of_station(station_id)
        assert (kept.profile_id, kept.evse_id, kept.purpose, kept.stack_level, kept.source) == (
            8,
            1,
            "TxDefaultProfile",
            2,
            "set",
        )
        assert await operate(backend, "ClearChargingProfile", {"chargingProfileId": 8}) == {
            "status": "Accepted"
        }
        assert records.of_station(station_id) == []

    run(sqlite_url, V201, scenario)


def test_on_16_the_profile_is_kept_in_201_words_and_cleared_by_criteria(sqlite_url: str) -> None:
    async def scenario(backend: BackendServer, station: OcttStation, station_id: int) -> None:
        body = {
            "chargingProfileId": 3,
            "stackLevel": 0,
            "chargingProfilePurpose": "ChargePointMaxProfile",
            "chargingProfileKind": "Absolute",
            "chargingSchedule": {**schedule(20), "startSchedule": format_timestamp(time.time())},
        }
        await operate(backend, "SetChargingProfile", {"connectorId": 0, "csChargingProfiles": body})
        (kept,) = backend.store.charging.of_station(station_id)
        assert (kept.profile_id, kept.evse_id, kept.purpose) == (3, 0, "ChargingStationMaxProfile")
        criteria = {"connectorId": 0, "chargingProfilePurpose": "ChargePointMaxProfile"}
        await operate(backend, "ClearChargingProfile", criteria)
        assert backend.store.charging.of_station(station_id) == []

    run(sqlite_url, V16, scenario)


NEEDS = {
    "requestedEnergyTransfer": "AC_three_phase",
    "acChargingParameters": {
        "energyAmount": 20000,
        "evMinCurrent": 6,
        "evMaxCurrent": 25,
        "evMaxVoltage": 400,
    },
}


def test_ev_needs_are_answered_with_a_tx_profile_and_an_ev_schedule_over_it_renegotiated(
    sqlite_url: str,
) -> None:
    async def scenario(backend: BackendServer, station: OcttStation, station_id: int) -> None:
        needs = {"evseId": 1, "chargingNeeds": NEEDS, "maxScheduleTuples": 10}
        assert (await station.call("NotifyEVChargingNeeds", needs)).require() == {"status": "Rejected"}
        await start_201(station, "tx-ev")
        assert (await station.call("NotifyEVChargingNeeds", needs)).require() == {"status": "Accepted"}
        sent = (await station.expect_call("SetChargingProfile", within=5)).payload
        profile = sent["chargingProfile"]
        assert (sent["evseId"], profile["chargingProfilePurpose"], profile["transactionId"]) == (
            1,
            "TxProfile",
            "tx-ev",
        )
        (ours,) = profile["chargingSchedule"]
        assert ours["chargingRateUnit"] == "A"
        assert ours["chargingSchedulePeriod"] == [{"startPeriod": 0, "limit": 25.0, "numberPhases": 3}]
        await backend.operations.settle()
        within = {
            "evseId": 1,
            "timeBase": format_timestamp(time.time()),
            "chargingSchedule": {"id": 1, **schedule(20)},
        }
        assert (await station.call("NotifyEVChargingSchedule", within)).require() == {"status": "Accepted"}
        over = {**within, "chargingSchedule": {"id": 1, **schedule(30)}}
        assert (await station.call("NotifyEVChargingSchedule", over)).require() == {"status": "Rejected"}
        again = (await station.expect_call("SetChargingProfile", within=5, after=1)).payload
        assert again["chargingProfile"]["id"] == profile["id"]
        kept = backend.store.charging.notices(station_id)
        assert [(n.action, n.status) for n in kept] == [
            ("NotifyEVChargingNeeds", "Rejected"),
            ("NotifyEVChargingNeeds", "Accepted"),
            ("NotifyEVChargingSchedule", "Accepted"),
            ("NotifyEVChargingSchedule", "Rejected"),
        ]

    run(sqlite_url, V201, scenario)


@pytest.mark.parametrize("version", [V201, OcppVersion.V21])
def test_reports_and_external_limits_are_kept(sqlite_url: str, version: OcppVersion) -> None:
    async def scenario(backend: BackendServer, station: OcttStation, station_id: int) -> None:
        external = profile_201(50, "ChargingStationExternalConstraints", 0, 12)
        report = {"requestId": 4, "chargingLimitSource": "EMS", "evseId": 0, "chargingProfile": [external]}
        assert (await station.call("ReportChargingProfiles", report)).require() == {}
        limit = {"chargingLimit": {"chargingLimitSource": "EMS", "isGridCritical": False}, "evseId": 1}
        assert (await station.call("NotifyChargingLimit", limit)).require() == {}
        cleared = {"chargingLimitSource": "EMS", "evseId": 1}
        assert (await station.call("ClearedChargingLimit", cleared)).require() == {}
        (reported,) = backend.store.charging.of_station(station_id)
        assert (reported.source, reported.limit_source, reported.purpose) == (
            "reported",
            "EMS",
            "ChargingStationExternalConstraints",
        )
        newer = {**report, "requestId": 5, "chargingProfile": [{**external, "id": 51}]}
        await station.call("ReportChargingProfiles", newer)
        assert [p.profile_id for p in backend.store.charging.of_station(station_id)] == [51]
        actions = [n.action for n in backend.store.charging.notices(station_id)]
        assert actions == ["NotifyChargingLimit", "ClearedChargingLimit"]

    run(sqlite_url, version, scenario)


@pytest.mark.parametrize(
    "action",
    [
        "NotifyEVChargingNeeds",
        "NotifyEVChargingSchedule",
        "ReportChargingProfiles",
        "NotifyChargingLimit",
        "ClearedChargingLimit",
    ],
)
def test_no_smart_charging_message_of_a_station_is_not_supported(action: str) -> None:
    from evharness.reference_backend.handlers.v201 import HANDLERS

    assert action in HANDLERS


def test_an_ev_schedule_is_checked_against_what_the_csms_offered_this_transaction(sqlite_url: str) -> None:
    """The profile of an earlier transaction on the EVSE is not the limit, nor is a new offer the
    station has not answered yet left out (its schedule may come first)."""

    async def scenario(backend: BackendServer, station: OcttStation, station_id: int) -> None:
        needs = {"evseId": 1, "chargingNeeds": NEEDS}
        await start_201(station, "tx-old")
        await station.call("NotifyEVChargingNeeds", needs)
        await station.expect_call("SetChargingProfile", within=5)
        await backend.operations.settle()
        await start_201(station, "tx-new")  # the old one ends: a new transaction on its EVSE
        station.hold("SetChargingProfile")
        cursor = len(station.received)
        assert (await station.call("NotifyEVChargingNeeds", needs)).require() == {"status": "Accepted"}
        await station.expect_call("SetChargingProfile", within=5, after=cursor)
        over = {
            "evseId": 1,
            "timeBase": format_timestamp(time.time()),
            "chargingSchedule": {"id": 1, **schedule(40)},
        }
        assert (await station.call("NotifyEVChargingSchedule", over)).require() == {"status": "Rejected"}
        await station.release()
        again = (await station.expect_call("SetChargingProfile", within=5, after=cursor + 1)).payload
        assert again["chargingProfile"]["transactionId"] == "tx-new"

    run(sqlite_url, V201, scenario)


def test_a_tx_profile_is_forgotten_when_its_transaction_ends(sqlite_url: str) -> None:
    """K01: a TxProfile lives as long as its transaction; the station discards it, so does the CSMS."""

    async def scenario(backend: BackendServer, station: OcttStation, station_id: int) -> None:
        await start_201(station, "tx-end")
        tx = {"evseId": 1, "chargingProfile": profile_201(5, "TxProfile", 0, 10, transactionId="tx-end")}
        default = {"evseId": 1, "chargingProfile": profile_201(6, "TxDefaultProfile", 0, 16)}
        await operate(backend, "SetChargingProfile", tx)
        await operate(backend, "SetChargingProfile", default)
        ended = {
            "eventType": "Ended",
            "timestamp": format_timestamp(time.time()),
            "triggerReason": "EVCommunicationLost",
            "seqNo": 1,
            "transactionInfo": {"transactionId": "tx-end", "stoppedReason": "EVDisconnected"},
            "evse": {"id": 1, "connectorId": 1},
        }
        (await station.call("TransactionEvent", ended)).require()
        assert [p.profile_id for p in backend.store.charging.of_station(station_id)] == [6]

    run(sqlite_url, V201, scenario)
