"""How a 1.6 station answers the Central System's CALLs (OCPP 1.6 §5): action → function.

Each function reads the request (its payload TypedDict, generated from the 1.6 schema) into a neutral
command of the station (`StationView`) and writes the outcome in 1.6's words; mypy checks both sides
against the schema. Actions not in `CALLS` (firmware, diagnostics) get CALLERROR
NotSupported; every answer here is the status the spec gives, never silence.
"""

from __future__ import annotations

from evharness.ocppj.cost_messages import VENDOR_ID, read_cost
from evharness.ocppj.frames import Payload
from evharness.ocppj.payloads import v16 as wire
from evharness.ocppj.timefmt import parse_timestamp
from evharness.ocppj.vocabulary import Action, Status
from evharness.simulator.core import local_list
from evharness.simulator.core.codec import StationView
from evharness.simulator.core.firmware import UpdateRequest
from evharness.simulator.core.local_auth import ListUpdate
from evharness.simulator.core.local_list import ListOutcome, ListUpdateRequest
from evharness.simulator.core.logs import LogRequest
from evharness.simulator.core.model import Own, Use
from evharness.simulator.core.reservations import Reservation
from evharness.simulator.core.smart_charging import start_refusal
from evharness.simulator.core.triggers import Trigger
from evharness.simulator.protocol import common, files, profiles
from evharness.simulator.protocol.certificates import hash_data_of, wire_hash
from evharness.simulator.protocol.common import CallFunction, typed
from evharness.simulator.protocol.v16.tokens import token_from_wire, token_info

TRIGGERS = common.TRIGGERS | {Action.DiagnosticsStatusNotification: Trigger.DIAGNOSTICS_STATUS}
# ExtendedTriggerMessage (white paper): LogStatusNotification and FirmwareStatusNotification there are
# the security extension's (a firmware update's status goes as SignedFirmwareStatusNotification when
# the update was signed)
EXTENDED_TRIGGERS: dict[str, Trigger] = {
    Action.LogStatusNotification: Trigger.LOG_STATUS,
    Action.FirmwareStatusNotification: Trigger.FIRMWARE_STATUS,
    Action.BootNotification: Trigger.BOOT,
    Action.Heartbeat: Trigger.HEARTBEAT,
    Action.MeterValues: Trigger.METER_VALUES,
    Action.StatusNotification: Trigger.STATUS,
    "SignChargePointCertificate": Trigger.SIGN_STATION_CERTIFICATE,
}
USES: dict[wire.CertificateUseEnumType, Use] = {
    "CentralSystemRootCertificate": Use.CSMS_ROOT,
    "ManufacturerRootCertificate": Use.MANUFACTURER_ROOT,
}
LIST_STATUS: dict[ListOutcome, wire.SendLocalListResponseStatus] = {  # §5.15
    ListOutcome.ACCEPTED: Status.ACCEPTED,
    ListOutcome.FAILED: Status.FAILED,
    ListOutcome.VERSION_MISMATCH: "VersionMismatch",
    ListOutcome.DISABLED: Status.NOT_SUPPORTED,
    ListOutcome.TOO_MANY_ELEMENTS: Status.FAILED,
    ListOutcome.TOO_LARGE_ELEMENT: Status.FAILED,
}


def reset(view: StationView, payload: wire.ResetRequest, now: float) -> wire.ResetResponse:
    """§5.14: Accepted; transactions end with HardReset/SoftReset, then the station boots again."""
    return {"status": view.reset(now, "SoftReset" if payload["type"] == "Soft" else "HardReset")}


def remote_start(
    view: StationView, payload: wire.RemoteStartTransactionRequest, now: float
) -> wire.RemoteStartTransactionResponse:
    """§5.11: Rejected without a free, operative connector or with a profile that is not a
    TxProfile for the transaction to come (`simulator.core.smart_charging.START_CHECKS`); the
    transaction then starts as with a presented idTag, under that profile."""
    raw_profile = payload.get("chargingProfile")
    profile = None if raw_profile is None else profiles.parse(raw_profile, 0)
    if raw_profile is not None and start_refusal(profile) is not None:
        return {"status": Status.REJECTED}
    token = token_from_wire(payload["idTag"])
    return {"status": view.remote_start(payload.get("connectorId"), token, profile, now).status}


def remote_stop(
    view: StationView, payload: wire.RemoteStopTransactionRequest, now: float
) -> wire.RemoteStopTransactionResponse:
    return {"status": view.remote_stop(str(payload["transactionId"]), now)}


def unlock(
    view: StationView, payload: wire.UnlockConnectorRequest, now: float
) -> wire.UnlockConnectorResponse:
    """§5.18: a running transaction is stopped with reason UnlockCommand, then unlocked."""
    outcome = view.stop_and_unlock(payload["connectorId"], now)
    return {"status": Status.NOT_SUPPORTED if outcome == "UnknownConnector" else outcome}


def change_availability(
    view: StationView, payload: wire.ChangeAvailabilityRequest, now: float
) -> wire.ChangeAvailabilityResponse:
    """§5.2: connector 0 means all; a connector in a transaction changes after it (Scheduled)."""
    operative = payload["type"] == "Operative"
    return {"status": view.change_availability(payload["connectorId"] or None, None, operative, now)}


def get_configuration(
    view: StationView, payload: wire.GetConfigurationRequest, now: float
) -> wire.GetConfigurationResponse:
    wanted = payload.get("key") or view.device.keys_16()
    known: list[wire.GetConfigurationResponseConfigurationKey] = []
    unknown: list[str] = []
    for key in wanted:
        found = view.device.get_key(key)
        if found is None:
            unknown.append(key)
        else:
            value, readonly = found
            known.append({"key": key, "readonly": readonly, "value": value[:500]})
    result: wire.GetConfigurationResponse = {}
    if known:
        result["configurationKey"] = known
    if unknown:
        result["unknownKey"] = unknown
    return result


def change_configuration(
    view: StationView, payload: wire.ChangeConfigurationRequest, now: float
) -> wire.ChangeConfigurationResponse:
    return {"status": view.device.change_key(payload["key"], payload["value"])}


def send_local_list(
    view: StationView, payload: wire.SendLocalListRequest, now: float
) -> wire.SendLocalListResponse:
    """§5.15: NotSupported when LocalAuthListEnabled is false; Failed over SendLocalListMaxLength
    (nothing changes); version rules in `simulator.core.local_auth.LocalList`."""
    updates = [
        ListUpdate(item["idTag"], token_info(item["idTagInfo"]) if "idTagInfo" in item else None)
        for item in payload.get("localAuthorizationList", [])
    ]
    outcome = view.update_local_list(
        ListUpdateRequest(payload["updateType"], payload["listVersion"], updates)
    )
    return {"status": LIST_STATUS[outcome]}


def get_local_list_version(
    view: StationView, payload: wire.GetLocalListVersionRequest, now: float
) -> wire.GetLocalListVersionResponse:
    """§5.10: -1 when the local list is not enabled, 0 when empty."""
    return {"listVersion": view.local_list.version if local_list.enabled(view.device) else -1}


def set_charging_profile(
    view: StationView, payload: wire.SetChargingProfileRequest, now: float
) -> wire.SetChargingProfileResponse:
    """§5.16 / §3.13: a TxProfile needs a transaction on its connector; ChargePointMaxProfile only
    on connector 0 (`simulator.core.charging_profiles.admissible`)."""
    profile = profiles.parse(payload["csChargingProfiles"], payload["connectorId"])
    return {"status": Status.REJECTED if profile is None else view.set_charging_profile(profile, now)}


def clear_charging_profile(
    view: StationView, payload: wire.ClearChargingProfileRequest, now: float
) -> wire.ClearChargingProfileResponse:
    purpose, stack_level = payload.get("chargingProfilePurpose"), payload.get("stackLevel")
    return {
        "status": profiles.clear(
            view, payload.get("id"), payload.get("connectorId"), purpose, stack_level, now
        )
    }


def get_composite_schedule(
    view: StationView, payload: wire.GetCompositeScheduleRequest, now: float
) -> wire.GetCompositeScheduleResponse:
    """§5.7: the limits the station will apply for `duration` seconds from now."""
    connector, unit = payload["connectorId"], payload.get("chargingRateUnit", "W")
    limits = profiles.limits(view, connector, payload["duration"], unit, now)
    if limits is None:
        return {"status": Status.REJECTED}
    start = profiles.schedule_start(now)
    return {
        "status": Status.ACCEPTED,
        "connectorId": connector,
        "scheduleStart": start,
        "chargingSchedule": {
            "duration": payload["duration"],
            "startSchedule": start,
            "chargingRateUnit": unit,
            "chargingSchedulePeriod": [{"startPeriod": offset, "limit": limit} for offset, limit in limits],
        },
    }


def update_firmware(
    view: StationView, payload: wire.UpdateFirmwareRequest, now: float
) -> wire.UpdateFirmwareResponse:
    """§5.19: download from `location` at `retrieveDate`, install, reboot (`simulator.core.firmware`);
    the answer is empty whatever happens next."""
    request = UpdateRequest(
        location=payload["location"],
        retrieve_at=parse_timestamp(payload["retrieveDate"]).timestamp(),
        retries=payload.get("retries", 0),
        retry_interval_s=float(payload.get("retryInterval", files.DEFAULT_RETRY_INTERVAL_S)),
    )
    view.update_firmware(request, now)
    return {}


def get_diagnostics(
    view: StationView, payload: wire.GetDiagnosticsRequest, now: float
) -> wire.GetDiagnosticsResponse:
    """§5.9: upload the diagnostics file to `location` (`simulator.core.logs`); its name in the answer,
    none when the station has nothing to send (the tester made it refuse)."""
    request = LogRequest(
        location=payload["location"],
        retries=payload.get("retries", 0),
        retry_interval_s=float(payload.get("retryInterval", files.DEFAULT_RETRY_INTERVAL_S)),
        diagnostics=True,
    )
    _, filename = view.get_log(request, now)
    return {} if filename is None else {"fileName": filename[:255]}


def signed_update_firmware(
    view: StationView, payload: wire.SignedUpdateFirmwareRequest, now: float
) -> wire.SignedUpdateFirmwareResponse:
    """Security extension L01 (TC_080/081): as 2.0.1 UpdateFirmware, reported with
    SignedFirmwareStatusNotification."""
    return {"status": view.update_firmware(files.firmware_request(payload, secure=True), now)}


def reserve_now(view: StationView, payload: wire.ReserveNowRequest, now: float) -> wire.ReserveNowResponse:
    """§5.13: connectorId 0 reserves any connector (ReserveConnectorZeroSupported); the answer and
    what follows in `simulator.core.reservations`."""
    connector = payload["connectorId"]
    reservation = Reservation(
        payload["reservationId"],
        parse_timestamp(payload["expiryDate"]).timestamp(),
        token_from_wire(payload["idTag"]),
        payload.get("parentIdTag"),
        connector or None,
    )
    return {"status": view.reserve(reservation, now)}


def trigger_message(
    view: StationView, payload: wire.TriggerMessageRequest, now: float
) -> wire.TriggerMessageResponse:
    """§5.17: a connectorId that does not exist is Rejected."""
    connector = payload.get("connectorId")
    if connector is not None and connector != 0 and connector not in view.evses:
        return {"status": Status.REJECTED}
    return {"status": common.trigger(TRIGGERS, view, payload["requestedMessage"], now)}


def extended_trigger_message(
    view: StationView, payload: wire.ExtendedTriggerMessageRequest, now: float
) -> wire.ExtendedTriggerMessageResponse:
    """White paper §ExtendedTriggerMessage: as TriggerMessage, with SignChargePointCertificate."""
    connector = payload.get("connectorId")
    if connector is not None and connector != 0 and connector not in view.evses:
        return {"status": Status.REJECTED}
    return {"status": common.trigger(EXTENDED_TRIGGERS, view, payload["requestedMessage"], now)}


def certificate_signed(
    view: StationView, payload: wire.CertificateSignedRequest, now: float
) -> wire.CertificateSignedResponse:
    """Installed when the chain is valid for the key asked for; else Rejected and an
    InvalidChargePointCertificate security event (TC_077)."""
    return {"status": view.certificate_signed(Own.STATION, payload["certificateChain"], now).status}


def install_certificate(
    view: StationView, payload: wire.InstallCertificateRequest, now: float
) -> wire.InstallCertificateResponse:
    """Rejected when the certificate is not valid (a CSMS root: InvalidCentralSystemCertificate,
    TC_078), Failed when the store is full."""
    status, _ = view.install_certificate(USES[payload["certificateType"]], payload["certificate"], now)
    return {"status": status}


def get_installed_certificate_ids(
    view: StationView, payload: wire.GetInstalledCertificateIdsRequest, now: float
) -> wire.GetInstalledCertificateIdsResponse:
    """The hash data of the certificates of that type; NotFound when there is none."""
    found = view.certificates.ids({USES[payload["certificateType"]]})
    if not found:
        return {"status": "NotFound"}
    return {"status": Status.ACCEPTED, "certificateHashData": [wire_hash(hashed) for _, hashed, _ in found]}


def delete_certificate(
    view: StationView, payload: wire.DeleteCertificateRequest, now: float
) -> wire.DeleteCertificateResponse:
    return {"status": view.delete_certificate(hash_data_of(payload["certificateHashData"]))}


def data_transfer(view: StationView, payload: Payload, now: float) -> Payload:
    """§5.6; the OCA California Pricing cost messages (`evharness.ocppj.cost_messages`) are the
    station's cost when it takes them (TariffCostCtrlr.Enabled[Cost], 1.6 CustomDisplayCostAndPrice),
    else answered from the vendor table like any other."""
    if payload["vendorId"] == VENDOR_ID:
        cost = read_cost(payload.get("messageId"), payload.get("data"))
        if cost is not None and view.cost_updated(str(cost.transaction_id), cost.cost, cost.final, now):
            return {"status": Status.ACCEPTED}
    return common.data_transfer(view, payload, now)


CALLS: dict[str, CallFunction] = {
    Action.CertificateSigned: typed(certificate_signed),
    Action.DeleteCertificate: typed(delete_certificate),
    Action.ExtendedTriggerMessage: typed(extended_trigger_message),
    Action.GetInstalledCertificateIds: typed(get_installed_certificate_ids),
    Action.InstallCertificate: typed(install_certificate),
    Action.CancelReservation: common.cancel_reservation,
    Action.ChangeAvailability: typed(change_availability),
    Action.ChangeConfiguration: typed(change_configuration),
    Action.ClearCache: common.clear_cache,
    Action.ClearChargingProfile: common.smart(typed(clear_charging_profile)),
    Action.DataTransfer: data_transfer,
    Action.GetCompositeSchedule: common.smart(typed(get_composite_schedule)),
    Action.GetConfiguration: typed(get_configuration),
    Action.GetLocalListVersion: typed(get_local_list_version),
    Action.RemoteStartTransaction: typed(remote_start),
    Action.RemoteStopTransaction: typed(remote_stop),
    Action.ReserveNow: typed(reserve_now),
    Action.Reset: typed(reset),
    Action.SendLocalList: typed(send_local_list),
    Action.SetChargingProfile: common.smart(typed(set_charging_profile)),
    Action.TriggerMessage: typed(trigger_message),
    Action.SignedUpdateFirmware: typed(signed_update_firmware),
    Action.GetDiagnostics: typed(get_diagnostics),
    Action.GetLog: files.get_log,
    Action.UnlockConnector: typed(unlock),
    Action.UpdateFirmware: typed(update_firmware),
}
