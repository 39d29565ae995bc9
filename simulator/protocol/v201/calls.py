"""How a 2.0.1 / 2.1 station answers the CSMS's CALLs (Part 2, blocks B–K): action → function.

Each function reads the request into a neutral command of the station (`StationView`) and writes
the outcome in 2.0.1's words. Actions not in `CALLS` (reservations, firmware, certificates, display
messages, monitoring) get CALLERROR NotSupported; every answer here is the status the spec gives.
"""

from __future__ import annotations

import orjson

from evharness.ocppj.frames import Payload
from simulator.core import local_list
from simulator.core.charging_profiles import TX
from simulator.core.codec import StationView
from simulator.core.local_auth import ListUpdate
from simulator.core.local_list import ListOutcome, ListUpdateRequest
from simulator.core.notes import ReportNote
from simulator.core.triggers import Trigger
from simulator.protocol import common, profiles
from simulator.protocol.common import CallFunction
from simulator.protocol.v201.tokens import token_from_wire, token_info

TRIGGERS = common.TRIGGERS | {
    "TransactionEvent": Trigger.TRANSACTION_EVENT,
    "LogStatusNotification": Trigger.LOG_STATUS,  # always Idle here
}


def get_variables(view: StationView, payload: Payload, now: float) -> Payload:
    """B06.FR.01–05: one result per requested variable; only the Actual attribute exists."""
    results = []
    for item in payload["getVariableData"]:
        component, variable = item["component"], item["variable"]
        entry: Payload = {"component": component, "variable": variable}
        if item.get("attributeType", "Actual") != "Actual":
            entry["attributeStatus"] = "NotSupportedAttributeType"
        else:
            status, value = view.device.get_variable(
                component["name"], variable["name"], variable.get("instance")
            )
            entry["attributeStatus"] = status
            if status == "Accepted":
                entry["attributeValue"] = value[:2500]
        results.append(entry)
    return {"getVariableResult": results}


def set_variables(view: StationView, payload: Payload, now: float) -> Payload:
    """B05.FR.01–05: read-only and invalid values are Rejected, unknown ones named as such."""
    results = []
    for item in payload["setVariableData"]:
        component, variable = item["component"], item["variable"]
        if item.get("attributeType", "Actual") != "Actual":
            status = "NotSupportedAttributeType"
        else:
            status = view.device.set_variable(
                component["name"], variable["name"], item["attributeValue"], variable.get("instance")
            )
        results.append({"attributeStatus": status, "component": component, "variable": variable})
    return {"setVariableResult": results}


def reset(view: StationView, payload: Payload, now: float) -> Payload:
    """B11/B12: Immediate ends transactions (ImmediateReset) and reboots; OnIdle waits for them
    (Scheduled); a reset of one EVSE is not supported (Rejected)."""
    if "evseId" in payload:
        return {"status": "Rejected"}
    return {"status": view.reset(now, when_idle=payload["type"] == "OnIdle")}


def request_start(view: StationView, payload: Payload, now: float) -> Payload:
    """F01: Rejected without a free, operative EVSE (or one whose transaction awaits its token);
    AuthorizeRemoteStart decides whether the token is authorized first (F01.FR.01/02); the events
    carry remoteStartId (F01.FR.25)."""
    raw_profile = payload.get("chargingProfile")
    profile = None if raw_profile is None else profiles.parse(raw_profile, 0)
    if raw_profile is not None and (profile is None or profile.purpose != TX):
        return {"status": "Rejected"}
    token = token_from_wire(payload["idToken"])
    result = view.remote_start(
        payload.get("evseId"),
        token,
        profile,
        now,
        remote_start_id=payload["remoteStartId"],
        open_transactions=True,
    )
    answer: Payload = {"status": result.status}
    if result.transaction_id is not None:
        answer["transactionId"] = result.transaction_id
    return answer


def request_stop(view: StationView, payload: Payload, now: float) -> Payload:
    return {"status": view.remote_stop(payload["transactionId"], now)}


def unlock(view: StationView, payload: Payload, now: float) -> Payload:
    """F05.FR.02: never unlock under an authorized transaction; F05.FR.04 unknown connector."""
    return {"status": view.unlock_unless_charging(payload["evseId"], payload["connectorId"])}


def change_availability(view: StationView, payload: Payload, now: float) -> Payload:
    """G03/G04: the whole station without `evse`; an EVSE in a transaction changes after it."""
    target = payload.get("evse")
    operative = payload["operationalStatus"] == "Operative"
    if target is None:
        return {"status": view.change_availability(None, None, operative, now)}
    return {"status": view.change_availability(target["id"], target.get("connectorId", 1), operative, now)}


def send_local_list(view: StationView, payload: Payload, now: float) -> Payload:
    """D01: Failed when the local list is disabled or the request is over ItemsPerMessage /
    BytesPerMessage (D01.FR.11 binds the CSMS; the list stays as it was); version rules in LocalList."""
    updates = [
        ListUpdate(
            item["idToken"]["idToken"], token_info(item["idTokenInfo"]) if "idTokenInfo" in item else None
        )
        for item in payload.get("localAuthorizationList", [])
    ]
    request = ListUpdateRequest(
        payload["updateType"], payload["versionNumber"], updates, len(orjson.dumps(payload))
    )
    outcome = ListOutcome(view.update_local_list(request))
    if outcome in (ListOutcome.TOO_MANY_ELEMENTS, ListOutcome.TOO_LARGE_ELEMENT):
        return {"status": "Failed", "statusInfo": {"reasonCode": outcome.value}}
    return {"status": "Failed" if outcome is ListOutcome.DISABLED else outcome.value}


def get_local_list_version(view: StationView, payload: Payload, now: float) -> Payload:
    """D02.FR.03: 0 when there is no list or the function is disabled."""
    return {"versionNumber": view.local_list.version if local_list.enabled(view.device) else 0}


def set_charging_profile(view: StationView, payload: Payload, now: float) -> Payload:
    """K01.FR.09: a TxProfile needs a transaction on the EVSE; K01.FR.22: station max on EVSE 0
    (`simulator.core.charging_profiles.admissible`)."""
    profile = profiles.parse(payload["chargingProfile"], payload["evseId"])
    return {"status": "Rejected" if profile is None else view.set_charging_profile(profile, now)}


def clear_charging_profile(view: StationView, payload: Payload, now: float) -> Payload:
    criteria = payload.get("chargingProfileCriteria", {})
    purpose, stack_level = criteria.get("chargingProfilePurpose"), criteria.get("stackLevel")
    return profiles.clear(
        view, payload.get("chargingProfileId"), criteria.get("evseId"), purpose, stack_level, now
    )


def get_composite_schedule(view: StationView, payload: Payload, now: float) -> Payload:
    """K08: the limits the station will apply for `duration` seconds from now."""
    evse_id = payload["evseId"]
    schedule = profiles.schedule(view, evse_id, payload, now)
    if schedule is None:
        return {"status": "Rejected"}
    return {
        "status": "Accepted",
        "schedule": {"evseId": evse_id, "scheduleStart": profiles.schedule_start(now), **schedule},
    }


def get_transaction_status(view: StationView, payload: Payload, now: float) -> Payload:
    """E14: whether the transaction is ongoing and whether its messages still wait."""
    wanted = payload.get("transactionId")
    answer: Payload = {"messagesInQueue": view.messages_waiting(wanted)}
    if wanted is not None:
        answer["ongoingIndicator"] = view.transaction_ongoing(wanted)
    return answer


def get_base_report(view: StationView, payload: Payload, now: float) -> Payload:
    """B07: Accepted, then the device model in NotifyReport (one part); SummaryInventory is not
    implemented (NotSupported)."""
    if payload["reportBase"] == "SummaryInventory":
        return {"status": "NotSupported"}
    note = ReportNote(payload["requestId"], now)
    view.after_answer(lambda: view.send(note, now))
    return {"status": "Accepted"}


def trigger_message(view: StationView, payload: Payload, now: float) -> Payload:
    return common.trigger_message(TRIGGERS, view, payload, now)


CALLS: dict[str, CallFunction] = {
    "ChangeAvailability": change_availability,
    "ClearCache": common.clear_cache,
    "ClearChargingProfile": clear_charging_profile,
    "DataTransfer": common.data_transfer,
    "GetBaseReport": get_base_report,
    "GetCompositeSchedule": get_composite_schedule,
    "GetLocalListVersion": get_local_list_version,
    "GetTransactionStatus": get_transaction_status,
    "GetVariables": get_variables,
    "RequestStartTransaction": request_start,
    "RequestStopTransaction": request_stop,
    "Reset": reset,
    "SendLocalList": send_local_list,
    "SetChargingProfile": set_charging_profile,
    "SetVariables": set_variables,
    "TriggerMessage": trigger_message,
    "UnlockConnector": unlock,
}
