"""Steps of the smart charging cases (2.0.1 block K, 1.6 Smart Charging); `conftest.py` imports them.

The operator makes the CSMS set profiles through the driver with the payload the OCTT expects (ids and
limits the harness picks: only a suggestion, the steps read what the CSMS really sent); the tool-station
reports its profiles, external limits (K12/K13) and an ISO 15118 EV's needs and schedule (K15-K17), and
the CSMS's answers and the SetChargingProfile it sends by itself are checked.
"""

from __future__ import annotations

import itertools
from typing import Any

from pytest_bdd import given, parsers, then, when

from evharness.conformance.session import Conformance
from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.vocabulary import Action

LIMIT_A = 16.0  # the limit of the profiles the harness asks for
WORDS_16 = {"ChargingStationMaxProfile": "ChargePointMaxProfile"}
_profile_ids = itertools.count(101)


def _profile(octt: Conformance, purpose: str, profile_id: int, stack: int, transaction: bool) -> Payload:
    schedule: Payload = {
        "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": LIMIT_A}],
    }
    if octt.v16:
        body: Payload = {
            "chargingProfileId": profile_id,
            "stackLevel": stack,
            "chargingProfilePurpose": WORDS_16.get(purpose, purpose),
            "chargingProfileKind": "Relative" if transaction else "Absolute",
            "chargingSchedule": schedule,
        }
    else:
        body = {
            "id": profile_id,
            "stackLevel": stack,
            "chargingProfilePurpose": purpose,
            "chargingProfileKind": "Relative" if transaction else "Absolute",
            "chargingSchedule": [{"id": 1, **schedule}],
        }
    if not transaction:
        first = schedule if octt.v16 else body["chargingSchedule"][0]
        first["startSchedule"] = format_timestamp(octt.now())
    if transaction:
        assert octt.transaction_id is not None, "the case needs a running transaction"
        body["transactionId"] = octt.transaction_id
    return body


SET_PROFILE = (
    r"the operator makes the CSMS set a (?P<purpose>\w+) profile on (?:EVSE|connector) (?P<evse>\d+)"
    r"(?: with id (?P<pid>\d+))?(?: at stack level (?P<stack>\d+))?(?P<tx> for the transaction)?"
    r"(?: recurring (?P<recurrency>Daily|Weekly))?(?: limited to (?P<limit>[\d.]+) A)?$"
)


@when(parsers.re(SET_PROFILE))
def operator_sets_profile(
    octt: Conformance,
    purpose: str,
    evse: str,
    pid: str | None,
    stack: str | None,
    tx: str | None,
    recurrency: str | None,
    limit: str | None,
) -> None:
    """K01 / 1.6 §5.16: SetChargingProfile with the purpose, EVSE (1.6 connector) and options named."""
    profile_id = int(pid) if pid else next(_profile_ids)
    body = _profile(octt, purpose, profile_id, int(stack or 0), bool(tx))
    schedule = body["chargingSchedule"] if octt.v16 else body["chargingSchedule"][0]
    if limit:
        schedule["chargingSchedulePeriod"][0]["limit"] = float(limit)
    if recurrency:
        body["chargingProfileKind"], body["recurrencyKind"] = "Recurring", recurrency
    key = ("connectorId", "csChargingProfiles") if octt.v16 else ("evseId", "chargingProfile")
    payload = {key[0]: int(evse), key[1]: body}
    octt.operate(Action.SetChargingProfile, payload, f"set a {purpose} profile on {evse}")


@when(parsers.parse('the operator makes the CSMS remote start with a TxProfile for the "{role}" token'))
def remote_start_with_profile(octt: Conformance, role: str) -> None:
    """K05 / 1.6 §5.11 (TC_K_37, TC_059): the start request carries a TxProfile without transactionId."""
    body = _profile(octt, "TxProfile", next(_profile_ids), 0, transaction=False)
    body["chargingProfileKind"] = "Relative"
    schedule = body["chargingSchedule"] if octt.v16 else body["chargingSchedule"][0]
    schedule.pop("startSchedule", None)
    token = octt.token(role)
    if octt.v16:
        payload: Payload = {"connectorId": octt.connector, "idTag": token.v16(), "chargingProfile": body}
        octt.operate(Action.RemoteStartTransaction, payload, "remote start with a TxProfile")
        return
    payload = {"idToken": token.v201(), "remoteStartId": 37, "evseId": 1, "chargingProfile": body}
    octt.operate(Action.RequestStartTransaction, payload, "remote start with a TxProfile")


def _sent_profiles(octt: Conformance) -> list[Payload]:
    key = "csChargingProfiles" if octt.v16 else "chargingProfile"
    return [c.payload[key] for c in octt.station.received if c.action == Action.SetChargingProfile]


@when(parsers.parse('the station reports the charging profiles it holds from "{source:w}"'))
def reports_profiles(octt: Conformance, source: str) -> None:
    """K09: ReportChargingProfiles for the CSMS's last GetChargingProfiles, with the profiles the CSMS
    set in this case (or, from an external source, a ChargingStationExternalConstraints profile)."""
    asked = [c for c in octt.station.received if c.action == Action.GetChargingProfiles]
    assert asked, "the CSMS sent no GetChargingProfiles"
    request = asked[-1].payload
    profiles = _sent_profiles(octt) if source == "CSO" else []
    if not profiles:
        profiles = [
            {
                "id": 900,
                "stackLevel": 0,
                "chargingProfilePurpose": "ChargingStationExternalConstraints",
                "chargingProfileKind": "Absolute",
                "chargingSchedule": [
                    {
                        "id": 1,
                        "startSchedule": format_timestamp(octt.now()),
                        "chargingRateUnit": "A",
                        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10.0}],
                    }
                ],
            }
        ]
    payload = {
        "requestId": request["requestId"],
        "chargingLimitSource": source,
        "evseId": request.get("evseId", 0),
        "chargingProfile": profiles,
        "tbc": False,
    }
    octt.send(Action.ReportChargingProfiles, payload)


@when(parsers.re(r'the station sends NotifyChargingLimit from "(?P<source>\w+)"(?P<evse> on its EVSE)?$'))
def notifies_limit(octt: Conformance, source: str, evse: str | None) -> None:
    """K12: an external limit (an EMS, the grid operator) with its schedule."""
    payload: Payload = {
        "chargingLimit": {"chargingLimitSource": source, "isGridCritical": False},
        "chargingSchedule": [
            {
                "id": 1,
                "chargingRateUnit": "A",
                "startSchedule": format_timestamp(octt.now()),
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10.0}],
            }
        ],
    }
    if evse:
        payload["evseId"] = 1
    octt.send(Action.NotifyChargingLimit, payload)


@when(parsers.re(r'the station sends ClearedChargingLimit from "(?P<source>\w+)"(?P<evse> on its EVSE)?$'))
def cleared_limit(octt: Conformance, source: str, evse: str | None) -> None:
    """K13: the external limit is released."""
    payload: Payload = {"chargingLimitSource": source}
    if evse:
        payload["evseId"] = 1
    octt.send(Action.ClearedChargingLimit, payload)


@when("the station sends NotifyEVChargingNeeds of the EV", target_fixture="needs_cursor")
def notifies_needs(octt: Conformance) -> int:
    """K15/K17 (ISO15118SmartCharging state): AC three-phase needs; where the CSMS's CALLs stood."""
    cursor = len(octt.station.received)
    needs = {
        "requestedEnergyTransfer": "AC_three_phase",
        "acChargingParameters": {
            "energyAmount": 50000,
            "evMinCurrent": 6,
            "evMaxCurrent": 32,
            "evMaxVoltage": 230,
        },
    }
    octt.send(Action.NotifyEVChargingNeeds, {"evseId": 1, "chargingNeeds": needs, "maxScheduleTuples": 10})
    return cursor


@then("the CSMS sends a SetChargingProfile for the transaction by itself")
def sends_profile_for_needs(octt: Conformance, needs_cursor: int) -> None:
    """K15.FR.03/05: a TxProfile for the EV's transaction on its EVSE (Processing: the OCTT waits)."""
    _profile_for_transaction(octt, needs_cursor)


def _profile_for_transaction(octt: Conformance, cursor: int) -> None:
    call = octt.run(octt.station.expect_call(Action.SetChargingProfile, octt.call_timeout * 6, after=cursor))
    octt.csms_call = call
    profile = call.payload["chargingProfile"]
    assert call.payload["evseId"] == 1, f"SetChargingProfile evseId {call.payload['evseId']}; expected 1"
    assert profile["chargingProfilePurpose"] == "TxProfile", f"purpose {profile['chargingProfilePurpose']}"
    assert profile.get("transactionId") == octt.transaction_id, (
        f"TxProfile for transaction {profile.get('transactionId')!r}; running: {octt.transaction_id!r}"
    )


def _ev_schedule(octt: Conformance, factor: float) -> dict[str, Any]:
    """The CSMS's last schedule for the EV, its limits times `factor` (1: the same, >1: over them)."""
    sent = _sent_profiles(octt)
    assert sent, "the CSMS sent no SetChargingProfile"
    ours = sent[-1]["chargingSchedule"][0]
    periods = [{**p, "limit": p["limit"] * factor} for p in ours["chargingSchedulePeriod"]]
    return {
        "id": ours.get("id", 1),
        "chargingRateUnit": ours["chargingRateUnit"],
        "chargingSchedulePeriod": periods,
    }


@when(
    parsers.re(r"the station sends NotifyEVChargingSchedule (?P<how>within|over) the CSMS's schedule$"),
    target_fixture="schedule_cursor",
)
def notifies_schedule(octt: Conformance, how: str) -> int:
    """K15.FR.10: the schedule the EV chose, within the CSMS's limits or (K15.FR.12) over them."""
    cursor = len(octt.station.received)
    schedule = _ev_schedule(octt, 1.0 if how == "within" else 2.0)
    payload = {"timeBase": format_timestamp(octt.now()), "evseId": 1, "chargingSchedule": schedule}
    octt.send(Action.NotifyEVChargingSchedule, payload)
    return cursor


@then("the CSMS renegotiates with a SetChargingProfile for the transaction")
def renegotiates(octt: Conformance, schedule_cursor: int) -> None:
    """K15.FR.13 / K16: after a Rejected schedule the CSMS sends a profile again."""
    _profile_for_transaction(octt, schedule_cursor)


@given(parsers.parse("the station will answer {action:w} with CALLERROR NotSupported"))
def answers_not_supported(octt: Conformance, action: str) -> None:
    """TC_K_15: a station without smart charging refuses the CALL with NotSupported."""
    octt.station.answer_with(action, ErrorKind.NOT_SUPPORTED)
