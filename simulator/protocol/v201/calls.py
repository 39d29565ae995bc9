"""How a 2.0.1 / 2.1 station answers the CSMS's CALLs (Part 2, blocks A–P): action → function.

Each function reads the request (its payload TypedDict, generated from the 2.0.1 schema) into a
neutral command of the station (`StationView`) and writes the outcome in 2.0.1's words; mypy checks
both sides against the schema. Actions not in `CALLS` (firmware, monitoring) get CALLERROR
NotSupported; every answer here is the status the spec gives.
"""

from __future__ import annotations

from decimal import Decimal

import orjson

from evharness.ocppj.payloads import v201 as wire
from evharness.ocppj.timefmt import parse_timestamp
from evharness.ocppj.vocabulary import Action, Status
from evharness.simulator.core import inventory, local_list
from evharness.simulator.core.charging_profiles import PURPOSES
from evharness.simulator.core.codec import StationView
from evharness.simulator.core.device_model import ReportRow
from evharness.simulator.core.display_messages import DisplayMessage
from evharness.simulator.core.local_auth import ListUpdate
from evharness.simulator.core.local_list import ListOutcome, ListUpdateRequest
from evharness.simulator.core.model import Own, Use
from evharness.simulator.core.notes import ReportNote
from evharness.simulator.core.publishing import PublishRequest
from evharness.simulator.core.reservations import Reservation
from evharness.simulator.core.smart_charging import Criteria, start_refusal
from evharness.simulator.core.triggers import Trigger
from evharness.simulator.protocol import common, files, profiles
from evharness.simulator.protocol.certificates import hash_data_of, status_info, wire_hash
from evharness.simulator.protocol.common import CallFunction, typed
from evharness.simulator.protocol.v201 import messages, monitoring
from evharness.simulator.protocol.v201.tokens import token_from_wire, token_info

TRIGGERS = common.TRIGGERS | {
    Action.TransactionEvent: Trigger.TRANSACTION_EVENT,
    Action.LogStatusNotification: Trigger.LOG_STATUS,
    "SignChargingStationCertificate": Trigger.SIGN_STATION_CERTIFICATE,
    "SignV2GCertificate": Trigger.SIGN_V2G_CERTIFICATE,
    "SignCombinedCertificate": Trigger.SIGN_COMBINED_CERTIFICATE,
}
USES: dict[wire.GetCertificateIdUseEnumType, Use] = {
    "CSMSRootCertificate": Use.CSMS_ROOT,
    "ManufacturerRootCertificate": Use.MANUFACTURER_ROOT,
    "V2GRootCertificate": Use.V2G_ROOT,
    "MORootCertificate": Use.MO_ROOT,
    "V2GCertificateChain": Use.V2G_CHAIN,
}
USE_NAMES: dict[Use, wire.GetCertificateIdUseEnumType] = {use: name for name, use in USES.items()}
OWN: dict[wire.CertificateSigningUseEnumType, Own] = {
    "ChargingStationCertificate": Own.STATION,
    "V2GCertificate": Own.V2G,
}
LIST_STATUS: dict[ListOutcome, wire.SendLocalListStatusEnumType] = {  # D01: a disabled list is Failed
    ListOutcome.ACCEPTED: Status.ACCEPTED,
    ListOutcome.FAILED: Status.FAILED,
    ListOutcome.VERSION_MISMATCH: "VersionMismatch",
    ListOutcome.DISABLED: Status.FAILED,
    ListOutcome.TOO_MANY_ELEMENTS: Status.FAILED,
    ListOutcome.TOO_LARGE_ELEMENT: Status.FAILED,
}
REPORT_OVERHEAD = 200  # bytes of a NotifyReport CALL besides its rows (ids, requestId, generatedAt …)
LIMITS = (ListOutcome.TOO_MANY_ELEMENTS, ListOutcome.TOO_LARGE_ELEMENT)  # named in statusInfo (D01.FR.11)


def get_variables(
    view: StationView, payload: wire.GetVariablesRequest, now: float
) -> wire.GetVariablesResponse:
    """B06.FR.01–05: one result per requested variable; only the Actual attribute exists."""
    results: list[wire.GetVariableResultType] = []
    for item in payload["getVariableData"]:
        component, variable = item["component"], item["variable"]
        entry: wire.GetVariableResultType = {
            "component": component,
            "variable": variable,
            "attributeStatus": "NotSupportedAttributeType",
        }
        if item.get("attributeType", "Actual") == "Actual":
            status, value = view.device.get_variable(
                component["name"], variable["name"], variable.get("instance")
            )
            entry["attributeStatus"] = status
            if status == Status.ACCEPTED:
                entry["attributeValue"] = value[:2500]
        results.append(entry)
    return {"getVariableResult": results}


def set_variables(
    view: StationView, payload: wire.SetVariablesRequest, now: float
) -> wire.SetVariablesResponse:
    """B05.FR.01–05: read-only and invalid values are Rejected, unknown ones named as such."""
    results: list[wire.SetVariableResultType] = []
    for item in payload["setVariableData"]:
        component, variable = item["component"], item["variable"]
        status: wire.SetVariableStatusEnumType = "NotSupportedAttributeType"
        if item.get("attributeType", "Actual") == "Actual":
            status = view.device.set_variable(
                component["name"], variable["name"], item["attributeValue"], variable.get("instance")
            )
        results.append({"attributeStatus": status, "component": component, "variable": variable})
    return {"setVariableResult": results}


def reset(view: StationView, payload: wire.ResetRequest, now: float) -> wire.ResetResponse:
    """B11/B12: Immediate ends transactions (ImmediateReset) and reboots; OnIdle waits for them
    (Scheduled); a reset of one EVSE is not supported (Rejected)."""
    if "evseId" in payload:
        return {"status": Status.REJECTED}
    return {"status": view.reset_when_idle(now) if payload["type"] == "OnIdle" else view.reset(now)}


def request_start(
    view: StationView, payload: wire.RequestStartTransactionRequest, now: float
) -> wire.RequestStartTransactionResponse:
    """F01: Rejected without a free, operative EVSE (or one whose transaction awaits its token);
    AuthorizeRemoteStart decides whether the token is authorized first (F01.FR.01/02); the events
    carry remoteStartId (F01.FR.25)."""
    raw_profile = payload.get("chargingProfile")
    profile = None if raw_profile is None else profiles.parse(raw_profile, 0)
    if raw_profile is not None and start_refusal(profile) is not None:
        return {"status": Status.REJECTED}
    token = token_from_wire(payload["idToken"])
    result = view.remote_start(
        payload.get("evseId"),
        token,
        profile,
        now,
        remote_start_id=payload["remoteStartId"],
        open_transactions=True,
    )
    answer: wire.RequestStartTransactionResponse = {"status": result.status}
    if result.transaction_id is not None:
        answer["transactionId"] = result.transaction_id
    return answer


def request_stop(
    view: StationView, payload: wire.RequestStopTransactionRequest, now: float
) -> wire.RequestStopTransactionResponse:
    return {"status": view.remote_stop(payload["transactionId"], now)}


def unlock(
    view: StationView, payload: wire.UnlockConnectorRequest, now: float
) -> wire.UnlockConnectorResponse:
    """F05.FR.02: never unlock under an authorized transaction; F05.FR.04 unknown connector."""
    return {"status": view.unlock_unless_charging(payload["evseId"], payload["connectorId"])}


def change_availability(
    view: StationView, payload: wire.ChangeAvailabilityRequest, now: float
) -> wire.ChangeAvailabilityResponse:
    """G03/G04: the whole station without `evse`; an EVSE in a transaction changes after it."""
    target = payload.get("evse")
    operative = payload["operationalStatus"] == "Operative"
    if target is None:
        return {"status": view.change_availability(None, None, operative, now)}
    return {"status": view.change_availability(target["id"], target.get("connectorId", 1), operative, now)}


def send_local_list(
    view: StationView, payload: wire.SendLocalListRequest, now: float
) -> wire.SendLocalListResponse:
    """D01: Failed when the local list is disabled or the request is over ItemsPerMessage /
    BytesPerMessage (D01.FR.11 binds the CSMS; the list stays as it was); version rules in LocalList."""
    updates = [
        ListUpdate(
            token_from_wire(item["idToken"]).code,
            token_info(item["idTokenInfo"]) if "idTokenInfo" in item else None,
        )
        for item in payload.get("localAuthorizationList", [])
    ]
    size = len(orjson.dumps(payload))
    outcome = view.update_local_list(
        ListUpdateRequest(payload["updateType"], payload["versionNumber"], updates, size)
    )
    answer: wire.SendLocalListResponse = {"status": LIST_STATUS[outcome]}
    if outcome in LIMITS:
        answer["statusInfo"] = {"reasonCode": outcome.value}
    return answer


def get_local_list_version(
    view: StationView, payload: wire.GetLocalListVersionRequest, now: float
) -> wire.GetLocalListVersionResponse:
    """D02.FR.03: 0 when there is no list or the function is disabled."""
    return {"versionNumber": view.local_list.version if local_list.enabled(view.device) else 0}


def set_charging_profile(
    view: StationView, payload: wire.SetChargingProfileRequest, now: float
) -> wire.SetChargingProfileResponse:
    """K01.FR.09: a TxProfile needs a transaction on the EVSE; K01.FR.22: station max on EVSE 0
    (`simulator.core.charging_profiles.admissible`)."""
    profile = profiles.parse(payload["chargingProfile"], payload["evseId"])
    return {"status": Status.REJECTED if profile is None else view.set_charging_profile(profile, now)}


def clear_charging_profile(
    view: StationView, payload: wire.ClearChargingProfileRequest, now: float
) -> wire.ClearChargingProfileResponse:
    criteria = payload.get("chargingProfileCriteria", {})
    purpose, stack_level = criteria.get("chargingProfilePurpose"), criteria.get("stackLevel")
    profile_id = payload.get("chargingProfileId")
    return {"status": profiles.clear(view, profile_id, criteria.get("evseId"), purpose, stack_level, now)}


def get_charging_profiles(
    view: StationView, payload: wire.GetChargingProfilesRequest, now: float
) -> wire.GetChargingProfilesResponse:
    """K09: Accepted, then ReportChargingProfiles messages; NoProfiles when nothing matches."""
    wanted = payload["chargingProfile"]
    purpose = wanted.get("chargingProfilePurpose")
    criteria = Criteria(
        payload.get("evseId"),
        None if purpose is None else PURPOSES[purpose],
        wanted.get("stackLevel"),
        tuple(wanted.get("chargingProfileId", ())),
        tuple(wanted.get("chargingLimitSource", ())),
    )
    return {"status": view.report_charging_profiles(payload["requestId"], criteria, now)}


def get_composite_schedule(
    view: StationView, payload: wire.GetCompositeScheduleRequest, now: float
) -> wire.GetCompositeScheduleResponse:
    """K08: the limits the station will apply for `duration` seconds from now."""
    evse_id, unit = payload["evseId"], payload.get("chargingRateUnit", "W")
    limits = profiles.limits(view, evse_id, payload["duration"], unit, now)
    if limits is None:
        return {"status": Status.REJECTED}
    return {
        "status": Status.ACCEPTED,
        "schedule": {
            "evseId": evse_id,
            "duration": payload["duration"],
            "scheduleStart": profiles.schedule_start(now),
            "chargingRateUnit": unit,
            "chargingSchedulePeriod": [{"startPeriod": offset, "limit": limit} for offset, limit in limits],
        },
    }


def get_transaction_status(
    view: StationView, payload: wire.GetTransactionStatusRequest, now: float
) -> wire.GetTransactionStatusResponse:
    """E14: whether the transaction is ongoing and whether its messages still wait."""
    wanted = payload.get("transactionId")
    answer: wire.GetTransactionStatusResponse = {"messagesInQueue": view.messages_waiting(wanted)}
    if wanted is not None:
        answer["ongoingIndicator"] = view.transaction_ongoing(wanted)
    return answer


def get_base_report(
    view: StationView, payload: wire.GetBaseReportRequest, now: float
) -> wire.GetBaseReportResponse:
    """B07: Accepted, then the report in NotifyReport messages of at most ItemsPerMessage rows and
    BytesPerMessage bytes each (B07.FR.07), seqNo 0, 1 …, tbc on all but the last (B07.FR.08);
    EmptyResultSet when the base holds nothing. What each base holds: `simulator.core.inventory`."""
    base = payload["reportBase"]
    return _report(view, payload["requestId"], base, messages.report_rows(view, base), None, now)


def get_report(view: StationView, payload: wire.GetReportRequest, now: float) -> wire.GetReportResponse:
    """B08: the rows of the full report the componentVariable items and componentCriteria pick
    (`inventory.select`), paged as GetBaseReport's; EmptyResultSet when none."""
    wanted = tuple(
        inventory.Wanted(
            item["component"]["name"],
            item["component"].get("evse", {}).get("id"),
            item["component"].get("evse", {}).get("connectorId"),
            item.get("variable", {}).get("name"),
            item.get("variable", {}).get("instance"),
        )
        for item in payload.get("componentVariable", [])
    )
    selection = inventory.Selection(tuple(payload.get("componentCriteria", [])), wanted)
    base = inventory.ReportBase.FULL
    rows = inventory.select(messages.report_rows(view, base), selection)
    return _report(view, payload["requestId"], base, rows, selection, now)


def _report(
    view: StationView,
    request_id: int,
    base: str,
    rows: list[ReportRow],
    selection: inventory.Selection | None,
    now: float,
) -> wire.GetBaseReportResponse:
    """Accepted and the NotifyReport pages of `rows`, or EmptyResultSet."""
    if not rows:
        return {"status": "EmptyResultSet"}
    sizes = [len(orjson.dumps(messages.report_item(row))) + 1 for row in rows]
    items = view.device.number("DeviceDataCtrlr.ItemsPerMessage[GetReport]")
    most = view.device.number("DeviceDataCtrlr.BytesPerMessage[GetReport]")
    parts = inventory.pages(sizes, max(items, 1), most, REPORT_OVERHEAD)
    for number, (first, count) in enumerate(parts):
        more = number < len(parts) - 1
        note = ReportNote(request_id, now, base, first, count, number, more, selection)
        view.send(note, now)  # after the answer: the station core holds what a CALL causes
    return {"status": Status.ACCEPTED}


def update_firmware(
    view: StationView, payload: wire.UpdateFirmwareRequest, now: float
) -> wire.UpdateFirmwareResponse:
    """L01: download, check the signature, install, reboot (`simulator.core.firmware`)."""
    return {"status": view.update_firmware(files.firmware_request(payload), now)}


def publish_firmware(
    view: StationView, payload: wire.PublishFirmwareRequest, now: float
) -> wire.PublishFirmwareResponse:
    """L05: the station as a local controller (`simulator.core.publishing`)."""
    request = PublishRequest(
        payload["requestId"],
        payload["location"],
        payload["checksum"],
        payload.get("retries", 0),
        payload.get("retryInterval", 60),
    )
    return {"status": view.publish_firmware(request, now)}


def unpublish_firmware(
    view: StationView, payload: wire.UnpublishFirmwareRequest, now: float
) -> wire.UnpublishFirmwareResponse:
    """L06: DownloadOngoing, NoFirmware or Unpublished."""
    return {"status": view.unpublish_firmware(payload["checksum"])}


def trigger_message(
    view: StationView, payload: wire.TriggerMessageRequest, now: float
) -> wire.TriggerMessageResponse:
    return {"status": common.trigger(TRIGGERS, view, payload["requestedMessage"], now)}


def certificate_signed(
    view: StationView, payload: wire.CertificateSignedRequest, now: float
) -> wire.CertificateSignedResponse:
    """A02.FR.06–09: Accepted and installed when the chain is valid for the key asked for; else
    Rejected (why in statusInfo) and an InvalidChargingStationCertificate security event."""
    own = OWN[payload.get("certificateType", "ChargingStationCertificate")]
    result = view.certificate_signed(own, payload["certificateChain"], now)
    answer: wire.CertificateSignedResponse = {"status": result.status}
    if result.reason is not None:
        answer["statusInfo"] = status_info("InvalidCertificate", result.reason)
    return answer


def install_certificate(
    view: StationView, payload: wire.InstallCertificateRequest, now: float
) -> wire.InstallCertificateResponse:
    """M05: Rejected when the certificate is not valid, Failed when the store is full."""
    status, reason = view.install_certificate(USES[payload["certificateType"]], payload["certificate"], now)
    answer: wire.InstallCertificateResponse = {"status": status}
    if reason is not None:
        answer["statusInfo"] = status_info("InvalidCertificate" if status == "Rejected" else "Full", reason)
    return answer


def get_installed_certificate_ids(
    view: StationView, payload: wire.GetInstalledCertificateIdsRequest, now: float
) -> wire.GetInstalledCertificateIdsResponse:
    """M03: the hash data of every certificate of the requested types (all without a type);
    NotFound when there is none (M03.FR.02)."""
    wanted = payload.get("certificateType")
    uses = None if wanted is None else {USES[name] for name in wanted}
    found = view.certificates.ids(uses)
    if not found:
        return {"status": "NotFound"}
    chains: list[wire.CertificateHashDataChainType] = []
    for use, hashed, children in found:
        entry: wire.CertificateHashDataChainType = {
            "certificateType": USE_NAMES[use],
            "certificateHashData": wire_hash(hashed),
        }
        if children:
            entry["childCertificateHashData"] = [wire_hash(child) for child in children]
        chains.append(entry)
    return {"status": Status.ACCEPTED, "certificateHashDataChain": chains}


def delete_certificate(
    view: StationView, payload: wire.DeleteCertificateRequest, now: float
) -> wire.DeleteCertificateResponse:
    """M04: Accepted, NotFound, or Failed (the station's own certificate, M04.FR.06)."""
    return {"status": view.delete_certificate(hash_data_of(payload["certificateHashData"]))}


def reserve_now(view: StationView, payload: wire.ReserveNowRequest, now: float) -> wire.ReserveNowResponse:
    """H01: an EVSE, a connector type, or (evseId omitted) any EVSE; `simulator.core.reservations`."""
    group = payload.get("groupIdToken")
    reservation = Reservation(
        payload["id"],
        parse_timestamp(payload["expiryDateTime"]).timestamp(),
        token_from_wire(payload["idToken"]),
        None if group is None else group["idToken"],
        payload.get("evseId"),
        payload.get("connectorType"),
    )
    return {"status": view.reserve(reservation, now)}


def set_display_message(
    view: StationView, payload: wire.SetDisplayMessageRequest, now: float
) -> wire.SetDisplayMessageResponse:
    """O01/O02/O06: `simulator.core.display_messages` says the status."""
    info = payload["message"]
    content = info["message"]
    starts, ends = info.get("startDateTime"), info.get("endDateTime")
    message = DisplayMessage(
        info["id"],
        info["priority"],
        content["content"],
        content["format"],
        content.get("language"),
        info.get("state"),
        None if starts is None else parse_timestamp(starts).timestamp(),
        None if ends is None else parse_timestamp(ends).timestamp(),
        info.get("transactionId"),
    )
    return {"status": view.set_display_message(message, now)}


def get_display_messages(
    view: StationView, payload: wire.GetDisplayMessagesRequest, now: float
) -> wire.GetDisplayMessagesResponse:
    """O04: Accepted and NotifyDisplayMessages when any message matches, else Unknown."""
    found = view.report_display_messages(
        payload["requestId"], payload.get("id"), payload.get("priority"), payload.get("state"), now
    )
    return {"status": Status.ACCEPTED if found else "Unknown"}


def clear_display_message(
    view: StationView, payload: wire.ClearDisplayMessageRequest, now: float
) -> wire.ClearDisplayMessageResponse:
    """O05."""
    return {"status": Status.ACCEPTED if view.clear_display_message(payload["id"]) else "Unknown"}


def cost_updated(view: StationView, payload: wire.CostUpdatedRequest, now: float) -> wire.CostUpdatedResponse:
    """I02.FR.02: the running cost, for the driver (`simulator.core.cost`); the answer has no status."""
    view.cost_updated(payload["transactionId"], Decimal(str(payload["totalCost"])), False, now)
    return {}


CALLS: dict[str, CallFunction] = {
    Action.CancelReservation: common.cancel_reservation,
    Action.CertificateSigned: typed(certificate_signed),
    Action.DeleteCertificate: typed(delete_certificate),
    Action.GetInstalledCertificateIds: typed(get_installed_certificate_ids),
    Action.InstallCertificate: typed(install_certificate),
    Action.ChangeAvailability: typed(change_availability),
    Action.ClearCache: common.clear_cache,
    Action.ClearChargingProfile: common.smart(typed(clear_charging_profile)),
    Action.ClearDisplayMessage: typed(clear_display_message),
    Action.CostUpdated: typed(cost_updated),
    Action.DataTransfer: common.data_transfer,
    Action.GetBaseReport: typed(get_base_report),
    Action.GetReport: typed(get_report),
    Action.GetChargingProfiles: common.smart(typed(get_charging_profiles)),
    Action.GetCompositeSchedule: common.smart(typed(get_composite_schedule)),
    Action.GetDisplayMessages: typed(get_display_messages),
    Action.GetLocalListVersion: typed(get_local_list_version),
    Action.GetTransactionStatus: typed(get_transaction_status),
    Action.GetVariables: typed(get_variables),
    Action.RequestStartTransaction: typed(request_start),
    Action.RequestStopTransaction: typed(request_stop),
    Action.ReserveNow: typed(reserve_now),
    Action.Reset: typed(reset),
    Action.SendLocalList: typed(send_local_list),
    Action.SetChargingProfile: common.smart(typed(set_charging_profile)),
    Action.SetDisplayMessage: typed(set_display_message),
    Action.SetVariables: typed(set_variables),
    Action.TriggerMessage: typed(trigger_message),
    Action.UnlockConnector: typed(unlock),
    Action.UpdateFirmware: typed(update_firmware),
    Action.PublishFirmware: typed(publish_firmware),
    Action.UnpublishFirmware: typed(unpublish_firmware),
    Action.GetLog: files.get_log,
    Action.SetVariableMonitoring: typed(monitoring.set_variable_monitoring),
    Action.ClearVariableMonitoring: typed(monitoring.clear_variable_monitoring),
    Action.SetMonitoringBase: typed(monitoring.set_monitoring_base),
    Action.SetMonitoringLevel: typed(monitoring.set_monitoring_level),
    Action.GetMonitoringReport: typed(monitoring.get_monitoring_report),
    Action.CustomerInformation: typed(monitoring.customer_information),
}
