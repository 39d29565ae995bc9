"""How a 1.6 station answers the Central System's CALLs (OCPP 1.6 §5): action → function.

Each function reads the request into a neutral command of the station (`StationView`) and writes
the outcome in 1.6's words. Actions not in `CALLS` (reservations, firmware, diagnostics) get
CALLERROR NotSupported; every answer here is the status the spec gives, never silence.
"""

from __future__ import annotations

from evharness.ocppj.frames import Payload
from simulator.core import local_list
from simulator.core.charging_profiles import TX
from simulator.core.codec import StationView
from simulator.core.local_auth import ListUpdate
from simulator.core.local_list import ListOutcome, ListUpdateRequest
from simulator.core.triggers import Trigger
from simulator.protocol import common, profiles
from simulator.protocol.common import CallFunction
from simulator.protocol.v16.tokens import token_from_wire, token_info

TRIGGERS = common.TRIGGERS | {"DiagnosticsStatusNotification": Trigger.LOG_STATUS}  # always Idle here
LIST_STATUS: dict[ListOutcome, str] = {  # §5.15: a disabled list is NotSupported; over the limit Failed
    ListOutcome.DISABLED: "NotSupported",
    ListOutcome.TOO_MANY_ELEMENTS: "Failed",
    ListOutcome.TOO_LARGE_ELEMENT: "Failed",
}


def reset(view: StationView, payload: Payload, now: float) -> Payload:
    """§5.14: Accepted; transactions end with HardReset/SoftReset, then the station boots again."""
    reason = "SoftReset" if payload["type"] == "Soft" else "HardReset"
    return {"status": view.reset(now, reason)}


def remote_start(view: StationView, payload: Payload, now: float) -> Payload:
    """§5.11: Rejected without a free, operative connector or with a profile that is not a
    TxProfile; the transaction then starts as with a presented idTag."""
    raw_profile = payload.get("chargingProfile")
    profile = None if raw_profile is None else profiles.parse(raw_profile, 0)
    if raw_profile is not None and (profile is None or profile.purpose != TX):
        return {"status": "Rejected"}
    token = token_from_wire(payload["idTag"])
    return {"status": view.remote_start(payload.get("connectorId"), token, profile, now).status}


def remote_stop(view: StationView, payload: Payload, now: float) -> Payload:
    return {"status": view.remote_stop(str(payload["transactionId"]), now)}


def unlock(view: StationView, payload: Payload, now: float) -> Payload:
    """§5.18: a running transaction is stopped with reason UnlockCommand, then unlocked."""
    outcome = view.stop_and_unlock(payload["connectorId"], now)
    return {"status": "NotSupported" if outcome == "UnknownConnector" else outcome}


def change_availability(view: StationView, payload: Payload, now: float) -> Payload:
    """§5.2: connector 0 means all; a connector in a transaction changes after it (Scheduled)."""
    connector = payload["connectorId"]
    operative = payload["type"] == "Operative"
    return {"status": view.change_availability(connector or None, None, operative, now)}


def get_configuration(view: StationView, payload: Payload, now: float) -> Payload:
    wanted = payload.get("key") or view.device.keys_16()
    known: list[Payload] = []
    unknown: list[str] = []
    for key in wanted:
        found = view.device.get_key(key)
        if found is None:
            unknown.append(key)
        else:
            value, readonly = found
            known.append({"key": key, "readonly": readonly, "value": value[:500]})
    result: Payload = {}
    if known:
        result["configurationKey"] = known
    if unknown:
        result["unknownKey"] = unknown
    return result


def change_configuration(view: StationView, payload: Payload, now: float) -> Payload:
    return {"status": view.device.change_key(payload["key"], payload["value"])}


def send_local_list(view: StationView, payload: Payload, now: float) -> Payload:
    """§5.15: NotSupported when LocalAuthListEnabled is false; Failed over SendLocalListMaxLength
    (nothing changes); version rules in `simulator.core.local_auth.LocalList`."""
    updates = [
        ListUpdate(item["idTag"], token_info(item["idTagInfo"]) if "idTagInfo" in item else None)
        for item in payload.get("localAuthorizationList", [])
    ]
    outcome = view.update_local_list(
        ListUpdateRequest(payload["updateType"], payload["listVersion"], updates)
    )
    return {"status": LIST_STATUS.get(ListOutcome(outcome), outcome)}


def get_local_list_version(view: StationView, payload: Payload, now: float) -> Payload:
    """§5.10: -1 when the local list is not enabled, 0 when empty."""
    return {"listVersion": view.local_list.version if local_list.enabled(view.device) else -1}


def set_charging_profile(view: StationView, payload: Payload, now: float) -> Payload:
    """§5.16 / §3.13: a TxProfile needs a transaction on its connector; ChargePointMaxProfile only
    on connector 0 (`simulator.core.charging_profiles.admissible`)."""
    profile = profiles.parse(payload["csChargingProfiles"], payload["connectorId"])
    return {"status": "Rejected" if profile is None else view.set_charging_profile(profile, now)}


def clear_charging_profile(view: StationView, payload: Payload, now: float) -> Payload:
    purpose, stack_level = payload.get("chargingProfilePurpose"), payload.get("stackLevel")
    return profiles.clear(view, payload.get("id"), payload.get("connectorId"), purpose, stack_level, now)


def get_composite_schedule(view: StationView, payload: Payload, now: float) -> Payload:
    """§5.7: the limits the station will apply for `duration` seconds from now."""
    connector = payload["connectorId"]
    schedule = profiles.schedule(view, connector, payload, now)
    if schedule is None:
        return {"status": "Rejected"}
    start = profiles.schedule_start(now)
    return {
        "status": "Accepted",
        "connectorId": connector,
        "scheduleStart": start,
        "chargingSchedule": {"startSchedule": start, **schedule},
    }


def trigger_message(view: StationView, payload: Payload, now: float) -> Payload:
    """§5.17: a connectorId that does not exist is Rejected."""
    connector = payload.get("connectorId")
    if connector is not None and connector != 0 and connector not in view.evses:
        return {"status": "Rejected"}
    return common.trigger_message(TRIGGERS, view, payload, now)


CALLS: dict[str, CallFunction] = {
    "ChangeAvailability": change_availability,
    "ChangeConfiguration": change_configuration,
    "ClearCache": common.clear_cache,
    "ClearChargingProfile": clear_charging_profile,
    "DataTransfer": common.data_transfer,
    "GetCompositeSchedule": get_composite_schedule,
    "GetConfiguration": get_configuration,
    "GetLocalListVersion": get_local_list_version,
    "RemoteStartTransaction": remote_start,
    "RemoteStopTransaction": remote_stop,
    "Reset": reset,
    "SendLocalList": send_local_list,
    "SetChargingProfile": set_charging_profile,
    "TriggerMessage": trigger_message,
    "UnlockConnector": unlock,
}
