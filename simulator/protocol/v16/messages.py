"""The station's notes as 1.6 CALLs, and the Central System's CALLRESULTs as answers.

On 1.6 a transaction starts with StartTransaction and its id is the CSMS's: MeterValues and
StopTransaction read it when they go out (`transactionId` 0 while unknown); the connectorId is the
EVSE's number (one connector per EVSE on 1.6).
"""

from __future__ import annotations

from typing import cast

from evharness.ocppj.frames import Payload
from evharness.ocppj.payloads import v16 as wire
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.vocabulary import Action
from evharness.simulator.core import notes
from evharness.simulator.core.codec import Outgoing, StationView
from evharness.simulator.core.model import ConnectorState
from evharness.simulator.core.notes import Answer, Note, TxMoment
from evharness.simulator.protocol import common
from evharness.simulator.protocol.common import AnswerReader, as_payload
from evharness.simulator.protocol.v16.tokens import token_info

STATUS: dict[ConnectorState, wire.StatusNotificationRequestStatus] = {
    ConnectorState.AVAILABLE: "Available",
    ConnectorState.OCCUPIED: "Preparing",
    ConnectorState.CHARGING: "Charging",
    ConnectorState.FINISHING: "Finishing",
    ConnectorState.UNAVAILABLE: "Unavailable",
    ConnectorState.FAULTED: "Faulted",
    ConnectorState.RESERVED: "Reserved",
}
TRANSACTION_ACTIONS: dict[TxMoment, str] = {
    TxMoment.STARTED: Action.StartTransaction,
    TxMoment.METER: Action.MeterValues,
    TxMoment.ENDED: Action.StopTransaction,
}
# the 2.0.1 firmware words 1.6 FirmwareStatusNotification has (§7.25); the others are not sent
FIRMWARE_STATUS: dict[notes.FirmwareStatus, wire.FirmwareStatusNotificationRequestStatus] = {
    notes.FirmwareStatus.IDLE: "Idle",
    notes.FirmwareStatus.DOWNLOADING: "Downloading",
    notes.FirmwareStatus.DOWNLOADED: "Downloaded",
    notes.FirmwareStatus.DOWNLOAD_FAILED: "DownloadFailed",
    notes.FirmwareStatus.INSTALLING: "Installing",
    notes.FirmwareStatus.INSTALLED: "Installed",
    notes.FirmwareStatus.INSTALLATION_FAILED: "InstallationFailed",
    notes.FirmwareStatus.INSTALL_VERIFICATION_FAILED: "InstallationFailed",
}
# the security extension's SignedFirmwareStatusNotification has every 2.0.1 word
FIRMWARE_WORDS: dict[notes.FirmwareStatus, wire.FirmwareStatusEnumType] = {
    notes.FirmwareStatus.IDLE: "Idle",
    notes.FirmwareStatus.DOWNLOAD_SCHEDULED: "DownloadScheduled",
    notes.FirmwareStatus.DOWNLOADING: "Downloading",
    notes.FirmwareStatus.DOWNLOADED: "Downloaded",
    notes.FirmwareStatus.DOWNLOAD_FAILED: "DownloadFailed",
    notes.FirmwareStatus.SIGNATURE_VERIFIED: "SignatureVerified",
    notes.FirmwareStatus.INVALID_SIGNATURE: "InvalidSignature",
    notes.FirmwareStatus.INSTALL_SCHEDULED: "InstallScheduled",
    notes.FirmwareStatus.INSTALLING: "Installing",
    notes.FirmwareStatus.INSTALL_REBOOTING: "InstallRebooting",
    notes.FirmwareStatus.INSTALLED: "Installed",
    notes.FirmwareStatus.INSTALLATION_FAILED: "InstallationFailed",
    notes.FirmwareStatus.INSTALL_VERIFICATION_FAILED: "InstallVerificationFailed",
}
# the upload words 1.6 DiagnosticsStatusNotification has (§7.23)
DIAGNOSTICS_STATUS: dict[notes.LogStatus, wire.DiagnosticsStatusNotificationRequestStatus] = {
    notes.LogStatus.IDLE: "Idle",
    notes.LogStatus.UPLOADING: "Uploading",
    notes.LogStatus.UPLOADED: "Uploaded",
    notes.LogStatus.UPLOAD_FAILURE: "UploadFailed",
}
# the security extension's LogStatusNotification has no AcceptedCanceled
LOG_STATUS: dict[notes.LogStatus, wire.UploadLogStatusEnumType] = {
    notes.LogStatus.IDLE: "Idle",
    notes.LogStatus.UPLOADING: "Uploading",
    notes.LogStatus.UPLOADED: "Uploaded",
    notes.LogStatus.UPLOAD_FAILURE: "UploadFailure",
    notes.LogStatus.BAD_MESSAGE: "BadMessage",
    notes.LogStatus.NOT_SUPPORTED_OPERATION: "NotSupportedOperation",
    notes.LogStatus.PERMISSION_DENIED: "PermissionDenied",
}
# the security events 1.6 names its own way (white paper); the others are the 2.0.1 words
SECURITY_EVENTS: dict[notes.SecurityEvent, str] = {
    notes.SecurityEvent.FAILED_TO_AUTHENTICATE_AT_CSMS: "FailedToAuthenticateAtCentralSystem",
    notes.SecurityEvent.CSMS_FAILED_TO_AUTHENTICATE: "CentralSystemFailedToAuthenticate",
    notes.SecurityEvent.INVALID_CSMS_CERTIFICATE: "InvalidCentralSystemCertificate",
    notes.SecurityEvent.INVALID_CHARGING_STATION_CERTIFICATE: "InvalidChargePointCertificate",
}


def action_of(note: Note) -> Outgoing | None:
    match note:
        case notes.FirmwareStatusNote(secure=True):
            return Outgoing(Action.SignedFirmwareStatusNotification, transactional=False)
        case notes.FirmwareStatusNote(status=status) if status in FIRMWARE_STATUS:
            return Outgoing(Action.FirmwareStatusNotification, transactional=False)
        case notes.LogStatusNote(diagnostics=True, status=status) if status in DIAGNOSTICS_STATUS:
            return Outgoing(Action.DiagnosticsStatusNotification, transactional=False)
        case notes.LogStatusNote(diagnostics=False, status=status) if status in LOG_STATUS:
            return Outgoing(Action.LogStatusNotification, transactional=False)
        case notes.FirmwareStatusNote() | notes.LogStatusNote():
            return None  # a word this 1.6 message does not have
    return common.action_of(note, TRANSACTION_ACTIONS)  # no TransactionEvent, NotifyReport


def payload_of(note: Note, view: StationView) -> Payload:
    match note:
        case notes.BootNote():
            return _boot(view)
        case notes.HeartbeatNote():
            return {}
        case notes.StatusNote():
            return as_payload(_status(note))
        case notes.AuthorizeNote(token=token):
            return as_payload(wire.AuthorizeRequest(idTag=token.code))
        case notes.TransactionNote():
            return as_payload(_transaction(note))
        case notes.FirmwareStatusNote(secure=True):
            signed: wire.SignedFirmwareStatusNotificationRequest = {"status": FIRMWARE_WORDS[note.status]}
            if note.request_id is not None:
                signed["requestId"] = note.request_id
            return as_payload(signed)
        case notes.FirmwareStatusNote():
            return as_payload(wire.FirmwareStatusNotificationRequest(status=FIRMWARE_STATUS[note.status]))
        case notes.LogStatusNote(diagnostics=True):
            return as_payload(
                wire.DiagnosticsStatusNotificationRequest(status=DIAGNOSTICS_STATUS[note.status])
            )
        case notes.LogStatusNote():
            log: wire.LogStatusNotificationRequest = {"status": LOG_STATUS[note.status]}
            if note.request_id is not None:
                log["requestId"] = note.request_id
            return as_payload(log)
        case notes.SignCertificateNote(csr=csr):
            return as_payload(wire.SignCertificateRequest(csr=csr))
        case notes.SecurityEventNote(event=event):
            return common.security_event(note, SECURITY_EVENTS.get(event, event.value))
        case notes.DataTransferNote():
            return common.data_transfer_request(note, data_as_text=True)
        case (
            notes.ReportNote() | notes.RestoredNote() | notes.ReservationNote() | notes.DisplayMessagesNote()
        ):
            pass
    raise ValueError(f"1.6 sends no {type(note).__name__}")


def _boot(view: StationView) -> Payload:
    return common.described(
        view.config, ("chargePointVendor", 20), "chargePointModel", "chargePointSerialNumber"
    )


def _status(note: notes.StatusNote) -> wire.StatusNotificationRequest:
    return {
        "connectorId": note.evse_id,
        "errorCode": "NoError",
        "status": STATUS[note.state],
        "timestamp": format_timestamp(note.at),
    }


def _transaction(
    note: notes.TransactionNote,
) -> wire.StartTransactionRequest | wire.MeterValuesRequest | wire.StopTransactionRequest:
    transaction = note.transaction
    match note.moment:
        case TxMoment.STARTED:
            assert note.token is not None
            start: wire.StartTransactionRequest = {
                "connectorId": note.evse_id,
                "idTag": note.token.code,
                "meterStart": int(transaction.meter_start_wh),
                "timestamp": format_timestamp(note.at),
            }
            if transaction.reservation_id is not None:  # §5.13: the reservation this start used
                start["reservationId"] = transaction.reservation_id
            return start
        case TxMoment.METER:
            return {
                "connectorId": note.evse_id,
                "transactionId": transaction.csms_id or 0,
                "meterValue": [sample(note.sample)],
            }
    payload: wire.StopTransactionRequest = {
        "transactionId": transaction.csms_id or 0,
        "meterStop": int(note.meter_stop_wh),
        "timestamp": format_timestamp(note.at),
        "reason": cast(wire.StopTransactionRequestReason, note.reason),  # StopReason's words are 1.6's
        # the same MeterValue: the 1.6 schema only spells one unit (Celsius) otherwise in StopTransaction
        "transactionData": cast(list[wire.StopTransactionRequestTransactionData], [sample(note.sample)]),
    }
    if note.token is not None:  # the idTag that stopped it: the one presented, else the transaction's (§4.10)
        payload["idTag"] = note.token.code
    return payload


def sample(taken: notes.Sample | None) -> wire.MeterValuesRequestMeterValue:
    """A MeterValue (§7.31): values as decimal strings."""
    assert taken is not None
    sampled: list[wire.MeterValuesRequestMeterValueSampledValue] = []
    for reading in taken.readings:
        value = f"{reading.value:.2f}" if reading.unit == "A" else f"{reading.value:.1f}"
        entry: wire.MeterValuesRequestMeterValueSampledValue = {"value": value}
        entry |= {
            "context": common.CONTEXTS[taken.context],
            "measurand": reading.measurand,
            "unit": reading.unit,
        }
        if reading.phase:
            entry["phase"] = reading.phase
        if reading.location:
            entry["location"] = reading.location
        sampled.append(entry)
    return {"timestamp": format_timestamp(taken.at), "sampledValue": sampled}


def _token_answer(payload: Payload) -> Answer:
    info = payload.get("idTagInfo")
    return notes.TokenAnswer(None if info is None else token_info(info))


def _start_answer(payload: Payload) -> Answer:
    return notes.TokenAnswer(token_info(payload["idTagInfo"]), payload["transactionId"])


ANSWERS: dict[str, AnswerReader] = {
    Action.BootNotification: common.boot_answer,
    Action.Authorize: _token_answer,
    Action.StartTransaction: _start_answer,
    Action.StopTransaction: _token_answer,
    Action.SignCertificate: common.status_answer,
    Action.DataTransfer: common.data_transfer_answer,
}

MESSAGES = common.Messages(action_of, payload_of, ANSWERS)
