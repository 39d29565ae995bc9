"""How a 2.0.1 / 2.1 station answers the CSMS's CALLs (Part 2, blocks B–K): one function per action.

Actions not listed (reservations, firmware, certificates, display messages, monitoring, reports)
get CALLERROR NotSupported from the adapter base; every answer here is the status the spec gives.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import orjson

from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp
from simulator.core.charging_profiles import STATION_MAX, TX, TX_DEFAULT
from simulator.core.device_model import Kind
from simulator.core.local_auth import ListUpdate, message_refusal
from simulator.core.model import Evse
from simulator.protocol import profiles
from simulator.protocol.v16_csms import _change_availability, _free_evse, _reapply

if TYPE_CHECKING:
    from simulator.core.station import Station
    from simulator.protocol.base import CallHandler
    from simulator.protocol.v201 import V201Adapter

PURPOSE_NAMES = {"ChargingStationMaxProfile": STATION_MAX, "TxDefaultProfile": TX_DEFAULT, "TxProfile": TX}


def handlers(adapter: V201Adapter) -> dict[str, CallHandler]:
    def get_variables(station: Station, payload: Payload, now: float) -> Payload:
        """B06.FR.01–05: one result per requested variable; only the Actual attribute exists."""
        results = []
        for item in payload["getVariableData"]:
            component, variable = item["component"], item["variable"]
            entry: Payload = {"component": component, "variable": variable}
            if item.get("attributeType", "Actual") != "Actual":
                entry["attributeStatus"] = "NotSupportedAttributeType"
            else:
                status, value = station.device.get_variable(
                    component["name"], variable["name"], variable.get("instance")
                )
                entry["attributeStatus"] = status
                if status == "Accepted":
                    entry["attributeValue"] = value[:2500]
            results.append(entry)
        return {"getVariableResult": results}

    def set_variables(station: Station, payload: Payload, now: float) -> Payload:
        """B05.FR.01–05: read-only and invalid values are Rejected, unknown ones named as such."""
        results = []
        for item in payload["setVariableData"]:
            component, variable = item["component"], item["variable"]
            if item.get("attributeType", "Actual") != "Actual":
                status = "NotSupportedAttributeType"
            else:
                status = station.device.set_variable(
                    component["name"], variable["name"], item["attributeValue"], variable.get("instance")
                )
            results.append({"attributeStatus": status, "component": component, "variable": variable})
        return {"setVariableResult": results}

    def reset(station: Station, payload: Payload, now: float) -> Payload:
        """B11/B12: Immediate ends transactions (ImmediateReset) and reboots; OnIdle waits for them
        (Scheduled); a reset of one EVSE is not supported (Rejected)."""
        if "evseId" in payload:
            return {"status": "Rejected"}
        busy = any(evse.transaction is not None for evse in station.evses.values())
        if payload["type"] == "OnIdle" and busy:
            station.reset_when_idle = True
            return {"status": "Scheduled"}
        station.reset(now)
        return {"status": "Accepted"}

    def request_start(station: Station, payload: Payload, now: float) -> Payload:
        """F01: Rejected without a free, operative EVSE; AuthorizeRemoteStart decides whether the
        token is authorized first (F01.FR.01/02); the events carry remoteStartId (F01.FR.25)."""
        evse = _evse_for_start(station, payload.get("evseId"))
        raw_profile = payload.get("chargingProfile")
        profile = None
        if raw_profile is not None:
            profile = profiles.parse(raw_profile, evse.id if evse else 0)
            if profile is None or profile.purpose != TX:
                return {"status": "Rejected"}
        if evse is None:
            return {"status": "Rejected"}
        if profile is not None:
            station.profiles.install(profile)
        evse.remote_start_id = payload["remoteStartId"]
        wire = payload["idToken"]
        token = station.token_from_wire(wire["idToken"], wire["type"])
        if station.device.flag("AuthCtrlr.AuthorizeRemoteStart"):
            station.after_answer(lambda: station.present_token(evse.id, token, now))
        else:
            station.after_answer(
                lambda: adapter.token_decided(station, evse, token, "Accepted", "Remote", now)
            )
        answer: Payload = {"status": "Accepted"}
        if evse.transaction is not None:
            answer["transactionId"] = evse.transaction.local_id
        return answer

    def request_stop(station: Station, payload: Payload, now: float) -> Payload:
        for evse in station.evses.values():
            transaction = evse.transaction
            if transaction is not None and transaction.local_id == payload["transactionId"]:
                station.after_answer(partial(adapter.stop_transaction, station, evse, "Remote", now))
                return {"status": "Accepted"}
        return {"status": "Rejected"}

    def unlock(station: Station, payload: Payload, now: float) -> Payload:
        """F05.FR.02: never unlock under an authorized transaction; F05.FR.04 unknown connector."""
        evse = station.evses.get(payload["evseId"])
        if evse is None or payload["connectorId"] not in evse.connectors:
            return {"status": "UnknownConnector"}
        if evse.transaction is not None and evse.transaction.authorized:
            return {"status": "OngoingAuthorizedTransaction"}
        return {"status": "Unlocked"}

    def change_availability(station: Station, payload: Payload, now: float) -> Payload:
        target = payload.get("evse")
        operative = payload["operationalStatus"] == "Operative"
        if target is None:
            evses = list(station.evses.values())
        elif (
            target["id"] in station.evses
            and target.get("connectorId", 1) in station.evses[target["id"]].connectors
        ):
            evses = [station.evses[target["id"]]]
        else:
            return {"status": "Rejected"}
        return {"status": _change_availability(station, evses, operative, now)}

    def send_local_list(station: Station, payload: Payload, now: float) -> Payload:
        """D01: Failed when the local list is disabled or the request is over ItemsPerMessage /
        BytesPerMessage (D01.FR.11 binds the CSMS; the list stays as it was); version rules in LocalList."""
        if not station.device.flag("LocalAuthListCtrlr.Enabled"):
            return {"status": "Failed"}
        items = len(payload.get("localAuthorizationList", []))
        refusal = message_refusal(station.device, items, len(orjson.dumps(payload)))
        if refusal is not None:
            return {"status": "Failed", "statusInfo": {"reasonCode": refusal}}
        from simulator.protocol.v201 import token_info

        updates = [
            ListUpdate(
                item["idToken"]["idToken"], token_info(item["idTokenInfo"]) if "idTokenInfo" in item else None
            )
            for item in payload.get("localAuthorizationList", [])
        ]
        status = station.local_list.apply(payload["updateType"], payload["versionNumber"], updates)
        station.local_list_changed()
        return {"status": status}

    def get_local_list_version(station: Station, payload: Payload, now: float) -> Payload:
        """D02.FR.03: 0 when there is no list or the function is disabled."""
        enabled = station.device.flag("LocalAuthListCtrlr.Enabled")
        return {"versionNumber": station.local_list.version if enabled else 0}

    def set_charging_profile(station: Station, payload: Payload, now: float) -> Payload:
        """K01.FR.09: a TxProfile needs a transaction on the EVSE; K01.FR.22: station max on EVSE 0."""
        evse_id = payload["evseId"]
        profile = profiles.parse(payload["chargingProfile"], evse_id)
        if profile is None or (evse_id != 0 and evse_id not in station.evses):
            return {"status": "Rejected"}
        if profile.purpose == STATION_MAX and evse_id != 0:
            return {"status": "Rejected"}
        if profile.purpose == TX:
            evse = station.evses.get(evse_id)
            transaction = evse.transaction if evse is not None else None
            if transaction is None or (
                profile.transaction_id is not None and profile.transaction_id != transaction.key
            ):
                return {"status": "Rejected"}
        if not station.profiles.install(profile):
            return {"status": "Rejected"}
        _reapply(station, now)
        return {"status": "Accepted"}

    def clear_charging_profile(station: Station, payload: Payload, now: float) -> Payload:
        criteria = payload.get("chargingProfileCriteria", {})
        purpose = criteria.get("chargingProfilePurpose")
        cleared = station.profiles.clear(
            payload.get("chargingProfileId"),
            criteria.get("evseId"),
            PURPOSE_NAMES.get(purpose) if purpose else None,
            criteria.get("stackLevel"),
        )
        _reapply(station, now)
        return {"status": "Accepted" if cleared else "Unknown"}

    def get_composite_schedule(station: Station, payload: Payload, now: float) -> Payload:
        """K08: the limits the station will apply for `duration` seconds from now."""
        evse_id = payload["evseId"]
        periods = profiles.composite_periods(station, evse_id, payload["duration"], now)
        if periods is None:
            return {"status": "Rejected"}
        unit = payload.get("chargingRateUnit", "W")
        return {
            "status": "Accepted",
            "schedule": {
                "evseId": evse_id,
                "duration": payload["duration"],
                "scheduleStart": profiles.schedule_start(now),
                "chargingRateUnit": unit,
                "chargingSchedulePeriod": profiles.periods_json(periods, unit, station.config.phases),
            },
        }

    def get_transaction_status(station: Station, payload: Payload, now: float) -> Payload:
        """E14: whether the transaction is ongoing and whether its messages still wait."""
        wanted = payload.get("transactionId")
        queued = [
            call
            for call in station.transactional_queue
            if wanted is None or _transaction_of(call.context) == wanted
        ]
        answer: Payload = {"messagesInQueue": bool(queued)}
        if wanted is not None:
            answer["ongoingIndicator"] = any(
                evse.transaction is not None and evse.transaction.local_id == wanted
                for evse in station.evses.values()
            )
        return answer

    def get_base_report(station: Station, payload: Payload, now: float) -> Payload:
        """B07: Accepted, then the device model in NotifyReport (one part); SummaryInventory is not
        implemented (NotSupported)."""
        if payload["reportBase"] == "SummaryInventory":
            return {"status": "NotSupported"}
        request_id = payload["requestId"]
        station.after_answer(lambda: station.send("NotifyReport", _report(station, request_id, now), now))
        return {"status": "Accepted"}

    table: dict[str, Callable[[Station, Payload, float], Payload]] = {
        "GetBaseReport": get_base_report,
        "GetVariables": get_variables,
        "SetVariables": set_variables,
        "Reset": reset,
        "RequestStartTransaction": request_start,
        "RequestStopTransaction": request_stop,
        "UnlockConnector": unlock,
        "ChangeAvailability": change_availability,
        "SendLocalList": send_local_list,
        "GetLocalListVersion": get_local_list_version,
        "SetChargingProfile": set_charging_profile,
        "ClearChargingProfile": clear_charging_profile,
        "GetCompositeSchedule": get_composite_schedule,
        "GetTransactionStatus": get_transaction_status,
    }
    return table


DATA_TYPES = {Kind.BOOLEAN: "boolean", Kind.INTEGER: "integer", Kind.STRING: "string", Kind.CSV: "MemberList"}


def _report(station: Station, request_id: int, now: float) -> Payload:
    data = []
    for row in station.device.report():
        attribute: Payload = {"type": "Actual", "mutability": row.definition.access.value}
        if row.value is not None:
            attribute["value"] = row.value[:2500]
        var: Payload = {"name": row.variable}
        if row.instance:
            var["instance"] = row.instance
        characteristics: Payload = {"dataType": DATA_TYPES[row.definition.kind], "supportsMonitoring": False}
        if row.max_limit is not None:  # e.g. LocalAuthListCtrlr.Entries: the list's capacity (D01.FR.12)
            characteristics["maxLimit"] = row.max_limit
        data.append(
            {
                "component": {"name": row.component},
                "variable": var,
                "variableAttribute": [attribute],
                "variableCharacteristics": characteristics,
            }
        )
    return {
        "requestId": request_id,
        "generatedAt": format_timestamp(now),
        "seqNo": 0,
        "tbc": False,
        "reportData": data,
    }


def _evse_for_start(station: Station, evse_id: int | None) -> Evse | None:
    """A free EVSE, or one whose transaction (opened at plug-in) is not yet authorized."""
    candidates = [station.evses.get(evse_id)] if evse_id else list(station.evses.values())
    for evse in candidates:
        if (
            evse is not None
            and evse.operative
            and (evse.transaction is None or not evse.transaction.authorized)
        ):
            return evse
    return _free_evse(station, evse_id)


def _transaction_of(context: object) -> str | None:
    if isinstance(context, tuple) and len(context) >= 3 and hasattr(context[2], "local_id"):
        return str(context[2].local_id)
    return None
