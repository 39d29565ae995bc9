"""The station's notes as 1.6 CALLs, and the Central System's CALLRESULTs as answers.

On 1.6 a transaction starts with StartTransaction and its id is the CSMS's: MeterValues and
StopTransaction read it when they go out (`transactionId` 0 while unknown); the connectorId is the
EVSE's number (one connector per EVSE on 1.6).
"""

from __future__ import annotations

from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp
from simulator.core.codec import Outgoing, StationView
from simulator.core.model import ConnectorState
from simulator.core.notes import (
    Answer,
    AuthorizeNote,
    BootAnswer,
    BootNote,
    HeartbeatNote,
    Idle,
    IdleStatusNote,
    Note,
    ReportNote,
    RestoredNote,
    Sample,
    StatusNote,
    TokenAnswer,
    TransactionNote,
    TxMoment,
)
from simulator.protocol.v16.tokens import token_info

STATUS: dict[ConnectorState, str] = {
    ConnectorState.AVAILABLE: "Available",
    ConnectorState.OCCUPIED: "Preparing",
    ConnectorState.CHARGING: "Charging",
    ConnectorState.FINISHING: "Finishing",
    ConnectorState.UNAVAILABLE: "Unavailable",
    ConnectorState.FAULTED: "Faulted",
}
TRANSACTION_ACTIONS: dict[TxMoment, str] = {
    TxMoment.STARTED: "StartTransaction",
    TxMoment.METER: "MeterValues",
    TxMoment.ENDED: "StopTransaction",
}
IDLE_ACTIONS: dict[Idle, str] = {
    Idle.FIRMWARE: "FirmwareStatusNotification",
    Idle.LOGS: "DiagnosticsStatusNotification",
}


def action_of(note: Note) -> Outgoing | None:
    match note:
        case BootNote():
            return Outgoing("BootNotification", transactional=False)
        case HeartbeatNote():
            return Outgoing("Heartbeat", transactional=False)
        case StatusNote():
            return Outgoing("StatusNotification", transactional=False)
        case AuthorizeNote():
            return Outgoing("Authorize", transactional=False)
        case TransactionNote(moment=moment) if moment in TRANSACTION_ACTIONS:
            return Outgoing(TRANSACTION_ACTIONS[moment], transactional=True)
        case IdleStatusNote(which=which):
            return Outgoing(IDLE_ACTIONS[which], transactional=False)
    return None  # 1.6 has no TransactionEvent nor NotifyReport


def payload_of(note: Note, view: StationView) -> Payload:
    match note:
        case BootNote():
            return _boot(view)
        case HeartbeatNote():
            return {}
        case StatusNote():
            return {
                "connectorId": note.evse_id,
                "errorCode": "NoError",
                "status": STATUS[note.state],
                "timestamp": format_timestamp(note.at),
            }
        case AuthorizeNote(token=token):
            return {"idTag": token.code}
        case TransactionNote():
            return _transaction(note)
        case IdleStatusNote():
            return {"status": "Idle"}
        case ReportNote() | RestoredNote():
            pass
    raise ValueError(f"1.6 sends no {type(note).__name__}")


def _boot(view: StationView) -> Payload:
    config = view.config
    payload: Payload = {"chargePointVendor": config.vendor[:20], "chargePointModel": config.model[:20]}
    if config.serial_number:
        payload["chargePointSerialNumber"] = config.serial_number[:25]
    if config.firmware_version:
        payload["firmwareVersion"] = config.firmware_version[:50]
    return payload


def _transaction(note: TransactionNote) -> Payload:
    transaction = note.transaction
    match note.moment:
        case TxMoment.STARTED:
            assert note.token is not None
            return {
                "connectorId": note.evse_id,
                "idTag": note.token.code,
                "meterStart": int(transaction.meter_start_wh),
                "timestamp": format_timestamp(note.at),
            }
        case TxMoment.METER:
            return {
                "connectorId": note.evse_id,
                "transactionId": transaction.csms_id or 0,
                "meterValue": [sample(note.sample)],
            }
    payload: Payload = {
        "transactionId": transaction.csms_id or 0,
        "meterStop": int(note.meter_stop_wh),
        "timestamp": format_timestamp(note.at),
        "reason": note.reason,
        "transactionData": [sample(note.sample)],
    }
    if note.token is not None:  # the idTag that stopped it: the one presented, else the transaction's (§4.10)
        payload["idTag"] = note.token.code
    return payload


def sample(taken: Sample | None) -> Payload:
    """A MeterValue (§7.31): values as decimal strings."""
    assert taken is not None
    sampled = []
    for reading in taken.readings:
        value = f"{reading.value:.2f}" if reading.unit == "A" else f"{reading.value:.1f}"
        entry: Payload = {"value": value, "context": taken.context.value}
        entry |= {"measurand": reading.measurand, "unit": reading.unit}
        if reading.phase:
            entry["phase"] = reading.phase
        if reading.location:
            entry["location"] = reading.location
        sampled.append(entry)
    return {"timestamp": format_timestamp(taken.at), "sampledValue": sampled}


def answer_of(action: str, payload: Payload) -> Answer:
    match action:
        case "BootNotification":
            return BootAnswer(payload["status"], float(payload["interval"]))
        case "Authorize" | "StopTransaction":
            info = payload.get("idTagInfo")
            return TokenAnswer(None if info is None else token_info(info))
        case "StartTransaction":
            return TokenAnswer(token_info(payload["idTagInfo"]), payload["transactionId"])
    return None
