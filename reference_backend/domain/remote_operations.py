"""Remote operations as data: each one's matrix action and its CALL on OCPP 1.6 and on 2.0.1/2.1.

`build(operation, version_is_16, request)` checks the request's fields (InvalidInput names the bad one)
and returns the OCPP action and payload to send.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from evharness.idtokens import InvalidCode, WireToken, guess_type_from_idtag, normalize, to_wire
from evharness.ocppj.primitives import IDENTIFIER_STRING_PATTERN
from evharness.ocppj.timefmt import format_timestamp, parse_timestamp
from evharness.reference_backend.domain.permissions import Action
from evharness.reference_backend.domain.problems import InvalidInput

Payload = dict[str, Any]


@dataclass(frozen=True)
class Request:
    evse: int = 1
    connector: int = 1
    id_tag: str | None = None
    transaction_id: str | None = None
    type: str = "soft"  # reset: soft | hard
    operative: bool = True
    message: str = "StatusNotification"
    # reserve / cancel-reservation
    reservation_id: int | None = None  # reserve: chosen by the console when not given
    expires_in: int = 3600  # seconds from `at`
    any_evse: bool = False  # 2.0.1 evseId omitted, 1.6 connectorId 0
    group: str | None = None  # groupIdToken / parentIdTag
    at: datetime | None = None  # now, set by the console
    # set / get / clear display messages
    message_id: int | None = None
    content: str | None = None
    priority: str = "NormalCycle"
    language: str | None = None
    format: str = "UTF8"
    state: str | None = None
    # data-transfer
    vendor_id: str | None = None
    data_message_id: str | None = None
    data: str | None = None
    certificate_type: str | None = None  # 2.0.1 words: CSMSRootCertificate, V2GRootCertificate …
    certificate: str | None = None  # PEM
    certificate_hash: dict[str, str] | None = None  # CertificateHashData (GetInstalledCertificateIds')
    which: str = "station"  # renew-certificate: station | v2g | combined
    location: str | None = None  # update-firmware: the file's URL; get-log: where to upload
    retrieve_at: str | None = None  # ISO 8601; update-firmware: when to download (default now)
    install_at: str | None = None  # ISO 8601; update-firmware: when to install
    retries: int | None = None
    retry_interval: int | None = None  # seconds
    signing_certificate: str | None = None  # PEM; update-firmware: signed firmware
    signature: str | None = None  # base64
    log_type: str = "diagnostics"  # get-log: diagnostics | security
    request_id: int | None = None  # get-display-messages, update-firmware, get-log …: default a new one
    customer_identifier: str | None = None  # customer-information (or id_tag)
    report: bool = True  # customer-information: send the data
    clear: bool = False  # customer-information: forget it
    monitoring_base: str = "All"  # monitoring-base: All | FactoryDefault | HardWiredOnly
    severity: int | None = None  # monitoring-level: 0-9
    monitors: tuple[dict[str, Any], ...] = ()  # set-monitoring: SetMonitoringData items (2.0.1 words)
    monitor_ids: tuple[int, ...] = ()  # clear-monitoring


Builder = Callable[[Request], tuple[str, Payload]]

TRIGGERABLE = ("BootNotification", "Heartbeat", "StatusNotification", "MeterValues")
_remote_start_ids = itertools.count(1)
_request_ids = itertools.count(1)  # UpdateFirmware, GetLog, CustomerInformation requestId


def _needs(value: str | None, field: str) -> str:
    if not value:
        raise InvalidInput(field, "is required for this operation")
    return value


def _token(request: Request) -> WireToken:
    tag = _needs(request.id_tag, "id_tag")
    kind = guess_type_from_idtag(tag)
    try:
        return to_wire(kind, normalize(kind, tag))
    except InvalidCode as exc:
        raise InvalidInput("id_tag", str(exc)) from exc


def _reset_type(request: Request, soft: str, hard: str) -> str:
    if request.type not in ("soft", "hard"):
        raise InvalidInput("type", "must be soft or hard")
    return soft if request.type == "soft" else hard


def _message(request: Request) -> str:
    if request.message not in TRIGGERABLE:
        raise InvalidInput("message", f"must be one of {', '.join(TRIGGERABLE)}")
    return request.message


def _identifier(value: str, field: str, longest: int = 36) -> str:
    """A 2.0.1 identifierString of 1 to `longest` characters, sent as given (never cut)."""
    if not re.fullmatch(IDENTIFIER_STRING_PATTERN, value) or not 0 < len(value) <= longest:
        raise InvalidInput(field, f"must be 1 to {longest} of a-z A-Z 0-9 * - _ = : + | @ . (an identifier)")
    return value


def _transaction_201(request: Request) -> str:
    return _identifier(_needs(request.transaction_id, "transaction_id"), "transaction_id")


def _transaction_16(request: Request) -> int:
    text = _needs(request.transaction_id, "transaction_id")
    if not text.isdigit() or int(text) > 2**31 - 1:
        raise InvalidInput("transaction_id", "is a whole number on OCPP 1.6")
    return int(text)


# the certificate types a console names (2.0.1 words) → their 1.6 names; None: not on 1.6
CERTIFICATE_TYPES: dict[str, str | None] = {
    "CSMSRootCertificate": "CentralSystemRootCertificate",
    "ManufacturerRootCertificate": "ManufacturerRootCertificate",
    "V2GRootCertificate": None,
    "MORootCertificate": None,
    "V2GCertificateChain": None,
}
INSTALLABLE = tuple(kind for kind in CERTIFICATE_TYPES if kind != "V2GCertificateChain")
RENEWALS_201 = {  # which → TriggerMessage requestedMessage (A02, F06)
    "station": "SignChargingStationCertificate",
    "v2g": "SignV2GCertificate",
    "combined": "SignCombinedCertificate",
}
HASH_FIELDS = ("hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber")


def _certificate_type(
    request: Request, on_16: bool, allowed: tuple[str, ...] = tuple(CERTIFICATE_TYPES)
) -> str:
    kind = _needs(request.certificate_type, "certificate_type")
    if kind not in allowed:
        raise InvalidInput("certificate_type", f"must be one of {', '.join(allowed)}")
    if not on_16:
        return kind
    named = CERTIFICATE_TYPES[kind]
    if named is None:
        raise InvalidInput("certificate_type", f"{kind} does not exist on OCPP 1.6")
    return named


def _certificate(request: Request) -> str:
    pem = _needs(request.certificate, "certificate")
    if "-----BEGIN CERTIFICATE-----" not in pem:
        raise InvalidInput("certificate", "must be a PEM certificate")
    if len(pem) > 5500:
        raise InvalidInput("certificate", "is longer than 5500 characters")
    return pem


def _certificate_hash(request: Request) -> dict[str, str]:
    given = request.certificate_hash
    if not given:
        raise InvalidInput("certificate_hash", "is required for this operation")
    missing = [name for name in HASH_FIELDS if not given.get(name)]
    if missing:
        raise InvalidInput("certificate_hash", f"needs {', '.join(missing)}")
    if given["hashAlgorithm"] not in ("SHA256", "SHA384", "SHA512"):
        raise InvalidInput("certificate_hash", "hashAlgorithm must be SHA256, SHA384 or SHA512")
    return {name: given[name] for name in HASH_FIELDS}


def _renewal_201(request: Request) -> str:
    if request.which not in RENEWALS_201:
        raise InvalidInput("which", f"must be one of {', '.join(RENEWALS_201)}")
    return RENEWALS_201[request.which]


def _renewal_16(request: Request) -> str:
    if request.which != "station":
        raise InvalidInput("which", "OCPP 1.6 stations renew only their station certificate")
    return "SignChargePointCertificate"


def _installed_201(request: Request) -> Payload:
    if request.certificate_type is None:
        return {}
    return {"certificateType": [_certificate_type(request, False)]}


LOG_TYPES = {"diagnostics": "DiagnosticsLog", "security": "SecurityLog"}


def _request_id(request: Request) -> int:
    return request.request_id if request.request_id is not None else next(_request_ids)


def _timestamp(text: str | None, field: str) -> str:
    """An ISO 8601 time as OCPP writes it; absent: now."""
    if text is None:
        return format_timestamp(time.time())
    try:
        return format_timestamp(parse_timestamp(text).timestamp())
    except ValueError as exc:
        raise InvalidInput(field, "must be an ISO 8601 date and time") from exc


def _url(request: Request) -> str:
    location = _needs(request.location, "location")
    if "://" not in location or len(location) > 512:
        raise InvalidInput("location", "must be a URL of at most 512 characters")
    return location


def _retries(request: Request) -> Payload:
    retry: Payload = {}
    for name, value in (("retries", request.retries), ("retryInterval", request.retry_interval)):
        if value is not None:
            if value < 0:
                raise InvalidInput(
                    "retries" if name == "retries" else "retry_interval", "must not be negative"
                )
            retry[name] = value
    return retry


def _firmware(request: Request) -> Payload:
    """2.0.1 FirmwareType (the same in 1.6 SignedUpdateFirmware): signed when a signature is given."""
    firmware: Payload = {
        "location": _url(request),
        "retrieveDateTime": _timestamp(request.retrieve_at, "retrieve_at"),
    }
    if request.install_at is not None:
        firmware["installDateTime"] = _timestamp(request.install_at, "install_at")
    if request.signature is not None or request.signing_certificate is not None:
        firmware["signingCertificate"] = _needs(request.signing_certificate, "signing_certificate")[:5500]
        firmware["signature"] = _needs(request.signature, "signature")[:800]
    return firmware


def _update_firmware_16(request: Request) -> tuple[str, Payload]:
    firmware = _firmware(request)
    if "signature" in firmware:
        return "SignedUpdateFirmware", {
            "requestId": _request_id(request),
            "firmware": firmware,
            **_retries(request),
        }
    plain = {"location": firmware["location"], "retrieveDate": firmware["retrieveDateTime"]}
    return "UpdateFirmware", {**plain, **_retries(request)}


def _log_type(request: Request) -> str:
    if request.log_type not in LOG_TYPES:
        raise InvalidInput("log_type", f"must be one of {', '.join(LOG_TYPES)}")
    return LOG_TYPES[request.log_type]


def _get_log(request: Request) -> Payload:
    log = {"remoteLocation": _url(request)}
    return {"logType": _log_type(request), "requestId": _request_id(request), "log": log, **_retries(request)}


def _get_log_16(request: Request) -> tuple[str, Payload]:
    if _log_type(request) == "SecurityLog":
        return "GetLog", _get_log(request)
    return "GetDiagnostics", {"location": _url(request), **_retries(request)}


def _customer_information(request: Request) -> Payload:
    """N09/N10: by customer identifier or idToken (`id_tag`); report and/or clear."""
    if not (request.report or request.clear):
        raise InvalidInput("report", "a request must report or clear (or both)")
    payload: Payload = {"requestId": _request_id(request), "report": request.report, "clear": request.clear}
    if request.customer_identifier:
        payload["customerIdentifier"] = request.customer_identifier[:64]
    elif request.id_tag:
        token = _token(request)
        payload["idToken"] = {"idToken": token.value_201, "type": token.type_201}
    else:
        raise InvalidInput("customer_identifier", "or id_tag is required for this operation")
    return payload


MONITORING_BASES = ("All", "FactoryDefault", "HardWiredOnly")


def _monitoring_base(request: Request) -> Payload:
    if request.monitoring_base not in MONITORING_BASES:
        raise InvalidInput("monitoring_base", f"must be one of {', '.join(MONITORING_BASES)}")
    return {"monitoringBase": request.monitoring_base}


def _severity(request: Request) -> Payload:
    if request.severity is None or not 0 <= request.severity <= 9:
        raise InvalidInput("severity", "must be 0 (Danger) to 9 (Debug)")
    return {"severity": request.severity}


def _monitors(request: Request) -> Payload:
    if not request.monitors:
        raise InvalidInput("monitors", "is required for this operation (SetMonitoringData items)")
    return {"setMonitoringData": [dict(item) for item in request.monitors]}


def _monitor_ids(request: Request) -> Payload:
    if not request.monitor_ids:
        raise InvalidInput("monitor_ids", "is required for this operation")
    return {"id": list(request.monitor_ids)}


def _availability(request: Request) -> str:
    return "Operative" if request.operative else "Inoperative"


def _expiry(request: Request) -> str:
    if not 60 <= request.expires_in <= 7 * 86400:
        raise InvalidInput("expires_in", "must be between 60 seconds and 7 days")
    start = request.at or datetime.now(UTC)
    return format_timestamp((start + timedelta(seconds=request.expires_in)).timestamp())


def _reservation_id(request: Request) -> int:
    if request.reservation_id is None:
        raise InvalidInput("reservation_id", "is required for this operation")
    return request.reservation_id


def _reserve_16(request: Request) -> tuple[str, Payload]:
    payload: Payload = {
        "connectorId": 0 if request.any_evse else request.evse,
        "idTag": _token(request).value,
    }
    payload |= {"expiryDate": _expiry(request), "reservationId": _reservation_id(request)}
    if request.group:
        payload["parentIdTag"] = _identifier(request.group, "group", 20)  # CiString20
    return "ReserveNow", payload


def _reserve_201(request: Request) -> tuple[str, Payload]:
    wire = _token(request)
    token = {"idToken": wire.value_201, "type": wire.type_201}
    payload: Payload = {"id": _reservation_id(request), "expiryDateTime": _expiry(request), "idToken": token}
    if not request.any_evse:
        payload["evseId"] = request.evse
    if request.group:
        payload["groupIdToken"] = {"idToken": _identifier(request.group, "group"), "type": "Central"}
    return "ReserveNow", payload


def _chosen(value: str | None, field: str, allowed: tuple[str, ...]) -> str | None:
    if value is not None and value not in allowed:
        raise InvalidInput(field, f"must be one of {', '.join(allowed)}")
    return value


def _display_message(request: Request) -> tuple[str, Payload]:
    """O01: the message a driver should see (a tariff text in one language, a notice)."""
    content: Payload = {
        "format": _chosen(request.format, "format", FORMATS),
        "content": _needs(request.content, "content")[:512],
    }
    if request.language:
        content["language"] = request.language[:8]
    info: Payload = {
        "id": request.message_id if request.message_id is not None else 1,
        "priority": _chosen(request.priority, "priority", PRIORITIES),
        "message": content,
    }
    if request.state:
        info["state"] = _chosen(request.state, "state", STATES)
    if request.transaction_id:
        info["transactionId"] = _transaction_201(request)
    return "SetDisplayMessage", {"message": info}


def _get_display_messages(request: Request) -> tuple[str, Payload]:
    payload: Payload = {"requestId": _request_id(request)}
    if request.message_id is not None:
        payload["id"] = [request.message_id]
    return "GetDisplayMessages", payload


def _clear_display_message(request: Request) -> tuple[str, Payload]:
    if request.message_id is None:
        raise InvalidInput("message_id", "is required for this operation")
    return "ClearDisplayMessage", {"id": request.message_id}


def _data_transfer(request: Request) -> tuple[str, Payload]:
    payload: Payload = {"vendorId": _needs(request.vendor_id, "vendor_id")[:255]}
    if request.data_message_id:
        payload["messageId"] = request.data_message_id[:50]
    if request.data is not None:
        payload["data"] = request.data
    return "DataTransfer", payload


FORMATS = ("ASCII", "HTML", "URI", "UTF8")
PRIORITIES = ("AlwaysFront", "InFront", "NormalCycle")
STATES = ("Charging", "Faulted", "Idle", "Unavailable")


V16: dict[str, Builder] = {
    "remote-start": lambda r: (
        "RemoteStartTransaction", {"connectorId": r.evse, "idTag": _token(r).value}),
    "remote-stop": lambda r: ("RemoteStopTransaction", {"transactionId": _transaction_16(r)}),
    "reset": lambda r: ("Reset", {"type": _reset_type(r, "Soft", "Hard")}),
    "unlock": lambda r: ("UnlockConnector", {"connectorId": r.evse}),
    "availability": lambda r: ("ChangeAvailability", {"connectorId": r.evse, "type": _availability(r)}),
    "trigger": lambda r: ("TriggerMessage", {"requestedMessage": _message(r), "connectorId": r.evse}),
    "clear-cache": lambda r: ("ClearCache", {}),
    "reserve": _reserve_16,
    "cancel-reservation": lambda r: ("CancelReservation", {"reservationId": _reservation_id(r)}),
    "data-transfer": _data_transfer,
    "install-certificate": lambda r: ("InstallCertificate", {
        "certificateType": _certificate_type(r, True, INSTALLABLE), "certificate": _certificate(r)}),
    "certificates": lambda r: ("GetInstalledCertificateIds", {"certificateType": _certificate_type(r, True)}),
    "delete-certificate": lambda r: ("DeleteCertificate", {"certificateHashData": _certificate_hash(r)}),
    "renew-certificate": lambda r: ("ExtendedTriggerMessage", {"requestedMessage": _renewal_16(r)}),
    "update-firmware": _update_firmware_16,
    "get-log": _get_log_16,
}  # fmt: skip

V201: dict[str, Builder] = {
    "remote-start": lambda r: ("RequestStartTransaction", {
        "idToken": {"idToken": _token(r).value_201, "type": _token(r).type_201},
        "remoteStartId": next(_remote_start_ids), "evseId": r.evse}),
    "remote-stop": lambda r: (
        "RequestStopTransaction", {"transactionId": _transaction_201(r)}),
    "reset": lambda r: ("Reset", {"type": _reset_type(r, "OnIdle", "Immediate")}),
    "unlock": lambda r: ("UnlockConnector", {"evseId": r.evse, "connectorId": r.connector}),
    "availability": lambda r: ("ChangeAvailability", {
        "operationalStatus": _availability(r), "evse": {"id": r.evse, "connectorId": r.connector}}),
    "trigger": lambda r: ("TriggerMessage", {"requestedMessage": _message(r), "evse": {"id": r.evse}}),
    "clear-cache": lambda r: ("ClearCache", {}),
    "reserve": _reserve_201,
    "cancel-reservation": lambda r: ("CancelReservation", {"reservationId": _reservation_id(r)}),
    "set-display-message": _display_message,
    "tariff-message": _display_message,  # content: the tariff text (`domain.tariff_text`)
    "get-display-messages": _get_display_messages,
    "clear-display-message": _clear_display_message,
    "data-transfer": _data_transfer,
    "install-certificate": lambda r: ("InstallCertificate", {
        "certificateType": _certificate_type(r, False, INSTALLABLE), "certificate": _certificate(r)}),
    "certificates": lambda r: ("GetInstalledCertificateIds", _installed_201(r)),
    "delete-certificate": lambda r: ("DeleteCertificate", {"certificateHashData": _certificate_hash(r)}),
    "renew-certificate": lambda r: ("TriggerMessage", {"requestedMessage": _renewal_201(r)}),
    "update-firmware": lambda r: ("UpdateFirmware", {
        "requestId": _request_id(r), "firmware": _firmware(r), **_retries(r)}),
    "get-log": lambda r: ("GetLog", _get_log(r)),
    "customer-information": lambda r: ("CustomerInformation", _customer_information(r)),
    "monitoring-base": lambda r: ("SetMonitoringBase", _monitoring_base(r)),
    "monitoring-level": lambda r: ("SetMonitoringLevel", _severity(r)),
    "set-monitoring": lambda r: ("SetVariableMonitoring", _monitors(r)),
    "clear-monitoring": lambda r: ("ClearVariableMonitoring", _monitor_ids(r)),
    "monitoring-report": lambda r: ("GetMonitoringReport", {"requestId": _request_id(r)}),
}  # fmt: skip

ACTIONS: dict[str, Action] = {
    "remote-start": Action.REMOTE_START_STOP,
    "remote-stop": Action.REMOTE_START_STOP,
    "reset": Action.RESET,
    "unlock": Action.UNLOCK_CONNECTOR,
    "availability": Action.CHANGE_AVAILABILITY,
    "trigger": Action.TRIGGER_MESSAGE,
    "clear-cache": Action.CLEAR_CACHE,
    "reserve": Action.RESERVE,
    "cancel-reservation": Action.RESERVE,
    "set-display-message": Action.SET_DISPLAY_MESSAGES,
    "tariff-message": Action.SET_DISPLAY_MESSAGES,
    "get-display-messages": Action.SET_DISPLAY_MESSAGES,
    "clear-display-message": Action.SET_DISPLAY_MESSAGES,
    "data-transfer": Action.DATA_TRANSFER,
    "install-certificate": Action.MANAGE_CERTIFICATES,
    "certificates": Action.MANAGE_CERTIFICATES,
    "delete-certificate": Action.MANAGE_CERTIFICATES,
    "renew-certificate": Action.MANAGE_CERTIFICATES,
    "update-firmware": Action.UPDATE_FIRMWARE,
    "get-log": Action.RETRIEVE_LOGS,
    "customer-information": Action.CUSTOMER_INFORMATION,
    "monitoring-base": Action.MANAGE_MONITORING,
    "monitoring-level": Action.MANAGE_MONITORING,
    "set-monitoring": Action.MANAGE_MONITORING,
    "clear-monitoring": Action.MANAGE_MONITORING,
    "monitoring-report": Action.MANAGE_MONITORING,
}


def build(operation: str, on_16: bool, request: Request) -> tuple[str, Payload]:
    builder = (V16 if on_16 else V201).get(operation)
    if builder is None:  # display messages, monitoring, customer information: not on 1.6
        raise InvalidInput("operation", f"{operation} needs OCPP 2.0.1 or 2.1; this station speaks 1.6")
    return builder(request)
