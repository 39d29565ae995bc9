"""How a 1.6 station answers the Central System's CALLs (OCPP 1.6 §5): one function per action.

Actions not listed here (reservations, firmware, diagnostics) get CALLERROR NotSupported from the
adapter base; every answer here is the status the spec gives for the situation, never silence.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from evharness.ocppj.frames import Payload
from simulator.core.charging_profiles import STATION_MAX, TX, TX_DEFAULT
from simulator.core.local_auth import ListUpdate, message_refusal
from simulator.core.model import Evse
from simulator.protocol import profiles

if TYPE_CHECKING:
    from simulator.core.station import Station
    from simulator.protocol.base import CallHandler
    from simulator.protocol.v16 import V16Adapter


def handlers(adapter: V16Adapter) -> dict[str, CallHandler]:
    def reset(station: Station, payload: Payload, now: float) -> Payload:
        """§5.14: Accepted; transactions end with HardReset/SoftReset, then the station boots again."""
        adapter.reset_reason = "SoftReset" if payload["type"] == "Soft" else "HardReset"
        station.reset(now)
        return {"status": "Accepted"}

    def remote_start(station: Station, payload: Payload, now: float) -> Payload:
        """§5.11: Rejected without a free, operative connector; the transaction then starts as with a
        presented idTag — authorized first when AuthorizeRemoteTxRequests is true (§5.11, §9.1.2)."""
        evse = _free_evse(station, payload.get("connectorId"))
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
        token = station.token_from_wire(payload["idTag"])
        if station.device.flag("AuthCtrlr.AuthorizeRemoteStart"):
            station.after_answer(lambda: station.present_token(evse.id, token, now))
        else:
            station.after_answer(
                lambda: adapter.token_decided(station, evse, token, "Accepted", "Remote", now)
            )
        return {"status": "Accepted"}

    def remote_stop(station: Station, payload: Payload, now: float) -> Payload:
        for evse in station.evses.values():
            transaction = evse.transaction
            if transaction is not None and transaction.csms_id == payload["transactionId"]:
                station.after_answer(partial(adapter.stop_transaction, station, evse, "Remote", now))
                return {"status": "Accepted"}
        return {"status": "Rejected"}

    def unlock(station: Station, payload: Payload, now: float) -> Payload:
        """§5.18: a running transaction is stopped with reason UnlockCommand, then unlocked."""
        evse = station.evses.get(payload["connectorId"])
        if evse is None:
            return {"status": "NotSupported"}
        if evse.transaction is not None:
            adapter.stop_transaction(station, evse, "UnlockCommand", now)
        return {"status": "Unlocked"}

    def change_availability(station: Station, payload: Payload, now: float) -> Payload:
        """§5.2: connector 0 means all; a connector in a transaction changes after it (Scheduled)."""
        connector = payload["connectorId"]
        if connector != 0 and connector not in station.evses:
            return {"status": "Rejected"}
        operative = payload["type"] == "Operative"
        targets = list(station.evses.values()) if connector == 0 else [station.evses[connector]]
        return {"status": _change_availability(station, targets, operative, now)}

    def get_configuration(station: Station, payload: Payload, now: float) -> Payload:
        wanted = payload.get("key") or station.device.keys_16()
        known: list[Payload] = []
        unknown: list[str] = []
        for key in wanted:
            found = station.device.get_key(key)
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

    def change_configuration(station: Station, payload: Payload, now: float) -> Payload:
        return {"status": station.device.change_key(payload["key"], payload["value"])}

    def send_local_list(station: Station, payload: Payload, now: float) -> Payload:
        """§5.15: NotSupported when LocalAuthListEnabled is false; Failed over SendLocalListMaxLength
        (nothing changes); version rules in LocalList."""
        if not station.device.flag("LocalAuthListCtrlr.Enabled"):
            return {"status": "NotSupported"}
        if message_refusal(station.device, len(payload.get("localAuthorizationList", [])), None):
            return {"status": "Failed"}
        from simulator.protocol.v16 import token_info

        updates = [
            ListUpdate(item["idTag"], token_info(item["idTagInfo"]) if "idTagInfo" in item else None)
            for item in payload.get("localAuthorizationList", [])
        ]
        status = station.local_list.apply(payload["updateType"], payload["listVersion"], updates)
        station.local_list_changed()
        return {"status": status}

    def get_local_list_version(station: Station, payload: Payload, now: float) -> Payload:
        """§5.10: -1 when the local list is not enabled, 0 when empty."""
        if not station.device.flag("LocalAuthListCtrlr.Enabled"):
            return {"listVersion": -1}
        return {"listVersion": station.local_list.version}

    def set_charging_profile(station: Station, payload: Payload, now: float) -> Payload:
        """§5.16 / §3.13: a TxProfile needs a transaction on its connector; ChargePointMaxProfile only
        on connector 0."""
        connector = payload["connectorId"]
        profile = profiles.parse(payload["csChargingProfiles"], connector)
        if profile is None or (connector != 0 and connector not in station.evses):
            return {"status": "Rejected"}
        if profile.purpose == STATION_MAX and connector != 0:
            return {"status": "Rejected"}
        if profile.purpose == TX:
            evse = station.evses.get(connector)
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
        purpose = payload.get("chargingProfilePurpose")
        cleared = station.profiles.clear(
            payload.get("id"),
            payload.get("connectorId"),
            {"ChargePointMaxProfile": STATION_MAX, "TxDefaultProfile": TX_DEFAULT, "TxProfile": TX}.get(
                purpose
            )
            if purpose
            else None,
            payload.get("stackLevel"),
        )
        _reapply(station, now)
        return {"status": "Accepted" if cleared else "Unknown"}

    def get_composite_schedule(station: Station, payload: Payload, now: float) -> Payload:
        """§5.7: the limits the station will apply for `duration` seconds from now."""
        connector = payload["connectorId"]
        periods = profiles.composite_periods(station, connector, payload["duration"], now)
        if periods is None:
            return {"status": "Rejected"}
        unit = payload.get("chargingRateUnit", "W")
        start = profiles.schedule_start(now)
        return {
            "status": "Accepted",
            "connectorId": connector,
            "scheduleStart": start,
            "chargingSchedule": {
                "duration": payload["duration"],
                "startSchedule": start,
                "chargingRateUnit": unit,
                "chargingSchedulePeriod": profiles.periods_json(periods, unit, station.config.phases),
            },
        }

    def trigger(station: Station, payload: Payload, now: float) -> Payload:
        """§5.17: a connectorId that does not exist is Rejected."""
        connector = payload.get("connectorId")
        if connector is not None and connector != 0 and connector not in station.evses:
            return {"status": "Rejected"}
        return adapter._trigger_message(station, payload, now)

    table: dict[str, Callable[[Station, Payload, float], Payload]] = {
        "Reset": reset,
        "RemoteStartTransaction": remote_start,
        "RemoteStopTransaction": remote_stop,
        "UnlockConnector": unlock,
        "ChangeAvailability": change_availability,
        "GetConfiguration": get_configuration,
        "ChangeConfiguration": change_configuration,
        "SendLocalList": send_local_list,
        "GetLocalListVersion": get_local_list_version,
        "SetChargingProfile": set_charging_profile,
        "ClearChargingProfile": clear_charging_profile,
        "GetCompositeSchedule": get_composite_schedule,
        "TriggerMessage": trigger,
    }
    return table


def _free_evse(station: Station, connector: int | None) -> Evse | None:
    candidates = [station.evses.get(connector)] if connector else list(station.evses.values())
    for evse in candidates:
        if evse is not None and evse.operative and evse.transaction is None:
            return evse
    return None


def _change_availability(station: Station, targets: list[Evse], operative: bool, now: float) -> str:
    """Accepted, or Scheduled when a target is in a transaction (1.6 §5.2, 2.0.1 G03.FR.05)."""
    scheduled = False
    for evse in targets:
        if evse.transaction is not None and not operative:
            evse.availability_scheduled = operative
            scheduled = True
        else:
            station.set_operative(evse, operative, now)
    return "Scheduled" if scheduled else "Accepted"


def _reapply(station: Station, now: float) -> None:
    for evse in station.evses.values():
        if evse.transaction is not None:
            station.apply_power(evse, now)
