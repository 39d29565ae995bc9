"""The station's notes as 2.0.1 CALLs, and the CSMS's CALLRESULTs as answers.

Every moment of a transaction is a TransactionEvent (E01-E07): Started at plug-in (TxStartPoint
EVConnected), Updated when a token authorizes it, for meter values and when triggered, Ended; each
carries the `seqNo` the station gave it (E01.FR.16), `offline: true` when it happened offline
(E04.FR.03), and the station's own transactionId.
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from evharness.ocppj.frames import Payload
from evharness.ocppj.payloads import v201 as wire
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.vocabulary import Action
from evharness.simulator.core import inventory, notes
from evharness.simulator.core.codec import Outgoing, StationView
from evharness.simulator.core.device_model import Access, Kind, ReportRow
from evharness.simulator.core.ev_negotiation import Needs
from evharness.simulator.core.model import ConnectorState, Own
from evharness.simulator.core.notes import Answer, Note, TxMoment
from evharness.simulator.protocol import common, profiles
from evharness.simulator.protocol.common import AnswerReader, as_payload
from evharness.simulator.protocol.v201 import monitoring
from evharness.simulator.protocol.v201.tokens import id_token, token_info

# a connector's state → connectorStatus: the words of the device model's AvailabilityState
STATUS = cast(dict[ConnectorState, wire.ConnectorStatusEnumType], inventory.AVAILABILITY_STATE)
# stop reason → (triggerReason, stoppedReason); any other reason is (AbnormalCondition, Other)
STOP_TRIGGERS: dict[str, tuple[wire.TriggerReasonEnumType, wire.ReasonEnumType]] = {
    "Local": ("StopAuthorized", "Local"),
    "EVDisconnected": ("EVCommunicationLost", "EVDisconnected"),
    "Remote": ("RemoteStop", "Remote"),
    "DeAuthorized": ("Deauthorized", "DeAuthorized"),
    "Other": ("AbnormalCondition", "Other"),
    "ImmediateReset": ("ResetCommand", "ImmediateReset"),
    "UnlockCommand": ("UnlockCommand", "Other"),
    "PowerLoss": ("AbnormalCondition", "PowerLoss"),
}
# moment → (eventType, triggerReason, chargingState or None)
EVENTS: dict[
    TxMoment,
    tuple[wire.TransactionEventEnumType, wire.TriggerReasonEnumType, wire.ChargingStateEnumType | None],
] = {
    TxMoment.STARTED: ("Started", "CablePluggedIn", "EVConnected"),
    TxMoment.AUTHORIZED: ("Updated", "Authorized", "Charging"),
    TxMoment.METER: ("Updated", "MeterValuePeriodic", None),
    TxMoment.TRIGGERED: ("Updated", "Trigger", None),
    TxMoment.RATE_CHANGED: ("Updated", "ChargingRateChanged", None),
}
TRANSACTION_ACTIONS: dict[TxMoment, str] = {moment: Action.TransactionEvent for moment in TxMoment}
DATA_TYPES: dict[Kind, wire.DataEnumType] = {
    Kind.BOOLEAN: "boolean",
    Kind.INTEGER: "integer",
    Kind.STRING: "string",
    Kind.CSV: "MemberList",
    Kind.DECIMAL: "decimal",
    Kind.OPTION_LIST: "OptionList",
}
MUTABILITY: dict[Access, wire.MutabilityEnumType] = {
    Access.READ_WRITE: "ReadWrite",
    Access.READ_ONLY: "ReadOnly",
    Access.WRITE_ONLY: "WriteOnly",
}


MORE_ACTIONS: dict[type[Note], str] = {
    notes.ReportNote: Action.NotifyReport,
    notes.ReservationNote: Action.ReservationStatusUpdate,
    notes.DisplayMessagesNote: Action.NotifyDisplayMessages,
    notes.ChargingProfilesNote: Action.ReportChargingProfiles,
    notes.ChargingLimitNote: Action.NotifyChargingLimit,
    notes.ClearedLimitNote: Action.ClearedChargingLimit,
    notes.EvNeedsNote: Action.NotifyEVChargingNeeds,
    notes.EvScheduleNote: Action.NotifyEVChargingSchedule,
    notes.FirmwareStatusNote: Action.FirmwareStatusNotification,
    notes.PublishStatusNote: Action.PublishFirmwareStatusNotification,
    notes.LogStatusNote: Action.LogStatusNotification,
    notes.EvCertificateNote: Action.Get15118EVCertificate,  # 1.6 has no ISO 15118 messages
    notes.CertificateStatusNote: Action.GetCertificateStatus,
    notes.EventNote: Action.NotifyEvent,
    notes.MonitoringReportNote: Action.NotifyMonitoringReport,
    notes.CustomerDataNote: Action.NotifyCustomerInformation,
}


def action_of(note: Note) -> Outgoing | None:
    if (
        isinstance(note, notes.StatusNote)
        and note.previous is not None
        and STATUS[note.previous] == STATUS[note.state]
    ):
        return None  # Occupied stays Occupied: nothing to tell
    return common.action_of(note, TRANSACTION_ACTIONS, MORE_ACTIONS)


SIGNING_USES: dict[Own, wire.CertificateSigningUseEnumType] = {
    Own.STATION: "ChargingStationCertificate",
    Own.V2G: "V2GCertificate",
}


def payload_of(note: Note, view: StationView) -> Payload:
    match note:
        case notes.BootNote():
            return _boot(note, view)
        case notes.HeartbeatNote():
            return {}
        case notes.StatusNote():
            return as_payload(_status(note))
        case notes.AuthorizeNote(token=token):
            return as_payload(wire.AuthorizeRequest(idToken=id_token(token)))
        case notes.TransactionNote():
            return as_payload(transaction_event(note))
        case notes.PublishStatusNote(status, request_id, locations):
            published: Payload = {"status": status, "requestId": request_id}
            return published | ({"location": list(locations)} if locations else {})
        case notes.FirmwareStatusNote() | notes.LogStatusNote():
            progress: Payload = {"status": note.status.value}  # the 2.0.1 words are the notes' own
            if note.request_id is not None:
                progress["requestId"] = note.request_id
            return progress
        case notes.ReportNote():
            return as_payload(_report(note, view))
        case notes.EventNote():
            return monitoring.notify_event(note)
        case notes.MonitoringReportNote():
            return monitoring.notify_monitoring_report(note)
        case notes.CustomerDataNote():
            return monitoring.notify_customer_information(note)
        case notes.SignCertificateNote(own=own, csr=csr):
            return as_payload(wire.SignCertificateRequest(csr=csr, certificateType=SIGNING_USES[own]))
        case notes.SecurityEventNote():
            return common.security_event(note, note.event.value)
        case notes.EvCertificateNote(action, exi, schema):
            return as_payload(
                wire.Get15118EVCertificateRequest(iso15118SchemaVersion=schema, action=action, exiRequest=exi)
            )
        case notes.CertificateStatusNote(hashed, url):
            data = cast(wire.OCSPRequestDataType, hashed.to_wire() | {"responderURL": url})
            return as_payload(wire.GetCertificateStatusRequest(ocspRequestData=data))
        case notes.ReservationNote(reservation_id, status):
            return {"reservationId": reservation_id, "reservationUpdateStatus": status}
        case notes.DisplayMessagesNote():
            return as_payload(display_messages(note))
        case notes.DataTransferNote():
            return common.data_transfer_request(note, data_as_text=False)
        case notes.ChargingLimitNote():
            return as_payload(charging_limit(note))
        case notes.ClearedLimitNote(evse_id, source):
            cleared: Payload = {"chargingLimitSource": source}
            return cleared | ({"evseId": evse_id} if evse_id else {})
        case notes.EvNeedsNote(needs):
            return as_payload(ev_needs(needs))
        case notes.EvScheduleNote(chosen):
            periods: list[wire.ChargingSchedulePeriodType] = [
                {"startPeriod": int(offset), "limit": round(watts, 1)} for offset, watts in chosen.periods
            ]
            schedule: wire.ChargingScheduleType = {
                "id": chosen.evse_id,
                "chargingRateUnit": "W",
                "chargingSchedulePeriod": periods,
            }
            return as_payload(
                wire.NotifyEVChargingScheduleRequest(
                    timeBase=format_timestamp(chosen.time_base),
                    chargingSchedule=schedule,
                    evseId=chosen.evse_id,
                )
            )
        case notes.ChargingProfilesNote(page):
            return as_payload(
                wire.ReportChargingProfilesRequest(
                    requestId=page.request_id,
                    chargingLimitSource=cast(wire.ChargingLimitSourceEnumType, page.source),
                    chargingProfile=[profiles.write_201(p) for p in page.profiles],
                    evseId=page.evse_id,
                    tbc=page.tbc,
                )
            )
        case notes.RestoredNote():
            pass
    raise ValueError(f"2.0.1 builds no {type(note).__name__}")


def _status(note: notes.StatusNote) -> wire.StatusNotificationRequest:
    return {
        "timestamp": format_timestamp(note.at),
        "connectorStatus": STATUS[note.state],
        "evseId": note.evse_id,
        "connectorId": note.connector_id,
    }


def _boot(note: notes.BootNote, view: StationView) -> Payload:
    charging_station = common.described(view.config, ("vendorName", 50), "model", "serialNumber")
    return {"reason": note.reason.value, "chargingStation": charging_station}


def transaction_event(note: notes.TransactionNote) -> wire.TransactionEventRequest:
    stopped: wire.ReasonEnumType | None = None
    charging_state: wire.ChargingStateEnumType | None
    event_type: wire.TransactionEventEnumType
    if note.moment is TxMoment.ENDED:
        trigger, stopped = STOP_TRIGGERS.get(note.reason, ("AbnormalCondition", "Other"))
        event_type, charging_state = "Ended", "EVConnected" if note.cable_plugged else "Idle"
    else:
        event_type, trigger, charging_state = EVENTS[note.moment]
        if note.remote_start_id is not None:
            trigger = "RemoteStart"
    info: wire.TransactionType = {"transactionId": note.transaction.local_id}
    if charging_state:
        info["chargingState"] = charging_state
    if stopped:
        info["stoppedReason"] = stopped
    if note.remote_start_id is not None:
        info["remoteStartId"] = note.remote_start_id
    payload: wire.TransactionEventRequest = {
        "eventType": event_type,
        "timestamp": format_timestamp(note.at),
        "triggerReason": trigger,
        "seqNo": note.seq_no,
        "transactionInfo": info,
    }
    if note.offline:
        payload["offline"] = True  # E04.FR.03
    if note.reservation_id is not None:
        payload["reservationId"] = note.reservation_id  # H03.FR.09
    if note.moment is TxMoment.STARTED:
        payload["evse"] = {"id": note.evse_id, "connectorId": note.connector_id or 1}
    if note.token is not None:
        payload["idToken"] = id_token(note.token)
    if note.sample is not None:
        payload["meterValue"] = [sample(note.sample)]
    return payload


def sample(taken: notes.Sample) -> wire.MeterValueType:
    """A MeterValueType: numbers, with the unit of measure."""
    sampled: list[wire.SampledValueType] = []
    for reading in taken.readings:
        entry: wire.SampledValueType = {"value": reading.value, "context": common.CONTEXTS[taken.context]}
        entry |= {"measurand": reading.measurand, "unitOfMeasure": {"unit": reading.unit}}
        if reading.phase:
            entry["phase"] = reading.phase
        if reading.location:
            entry["location"] = reading.location
        sampled.append(entry)
    return {"timestamp": format_timestamp(taken.at), "sampledValue": sampled}


def report_item(row: ReportRow) -> wire.ReportDataType:
    """One ReportData: the component (with its EVSE / connector), the variable, its Actual value."""
    attribute: wire.VariableAttributeType = {
        "type": "Actual",
        "mutability": MUTABILITY[row.definition.access],
    }
    if row.value is not None:
        attribute["value"] = row.value[:2500]
    var: wire.VariableType = {"name": row.variable}
    if row.instance:
        var["instance"] = row.instance
    characteristics: wire.VariableCharacteristicsType = {
        "dataType": DATA_TYPES[row.definition.kind],
        "supportsMonitoring": False,
    }
    if row.max_limit is not None:  # e.g. LocalAuthListCtrlr.Entries: the list's capacity (D01.FR.12)
        characteristics["maxLimit"] = row.max_limit
    component: wire.ComponentType = {"name": row.component}
    if row.evse_id is not None:
        evse: wire.EVSEType = {"id": row.evse_id}
        if row.connector_id is not None:
            evse["connectorId"] = row.connector_id
        component["evse"] = evse
    return {
        "component": component,
        "variable": var,
        "variableAttribute": [attribute],
        "variableCharacteristics": characteristics,
    }


def report_rows(view: StationView, base: str) -> list[ReportRow]:
    return inventory.report(inventory.ReportBase(base), view.device, view.config, view.evses)


def _report(note: notes.ReportNote, view: StationView) -> wire.NotifyReportRequest:
    """NotifyReport (B07): one page of the report, its rows as they are when it goes out."""
    rows = report_rows(view, note.base)
    if note.selection is not None:
        rows = inventory.select(rows, note.selection)
    page = rows[note.first :] if note.count is None else rows[note.first : note.first + note.count]
    payload: wire.NotifyReportRequest = {
        "requestId": note.request_id,
        "generatedAt": format_timestamp(note.at),
        "seqNo": note.seq_no,
        "tbc": note.tbc,
    }
    if page:
        payload["reportData"] = [report_item(row) for row in page]
    return payload


def display_messages(note: notes.DisplayMessagesNote) -> wire.NotifyDisplayMessagesRequest:
    """O04: every message asked for, in one part."""
    infos: list[wire.MessageInfoType] = []
    for message in note.messages:
        content: wire.MessageContentType = {
            "format": cast(wire.MessageFormatEnumType, message.format),
            "content": message.content,
        }
        if message.language is not None:
            content["language"] = message.language
        info: wire.MessageInfoType = {
            "id": message.id,
            "priority": cast(wire.MessagePriorityEnumType, message.priority),
            "message": content,
        }
        if message.state is not None:
            info["state"] = cast(wire.MessageStateEnumType, message.state)
        if message.starts_at is not None:
            info["startDateTime"] = format_timestamp(message.starts_at)
        if message.ends_at is not None:
            info["endDateTime"] = format_timestamp(message.ends_at)
        if message.transaction_id is not None:
            info["transactionId"] = message.transaction_id
        infos.append(info)
    return {"requestId": note.request_id, "messageInfo": infos, "tbc": False}


def charging_limit(note: notes.ChargingLimitNote) -> wire.NotifyChargingLimitRequest:
    """K12: the source, whether the grid is critical, and the schedule when the station sends it."""
    source = cast(wire.ChargingLimitSourceEnumType, note.source)
    payload: wire.NotifyChargingLimitRequest = {
        "chargingLimit": {"chargingLimitSource": source, "isGridCritical": note.grid_critical}
    }
    if note.evse_id:
        payload["evseId"] = note.evse_id
    if note.profile is not None:
        payload["chargingSchedule"] = [profiles.schedule_201(note.profile)]
    return payload


def ev_needs(needs: Needs) -> wire.NotifyEVChargingNeedsRequest:
    """K15.FR.01: AC or DC parameters as the EV gives them, its departure time if it says one."""
    energy = int(needs.energy_wh)
    charging: wire.ChargingNeedsType = {"requestedEnergyTransfer": "DC" if needs.dc else "AC_three_phase"}
    if needs.dc:
        charging["dcChargingParameters"] = {
            "evMaxCurrent": int(needs.max_current_a),
            "evMaxVoltage": int(needs.max_voltage_v),
            "energyAmount": energy,
            "evMaxPower": int(needs.max_power_w),
            "stateOfCharge": int(needs.soc_percent),
            "evEnergyCapacity": int(needs.capacity_wh),
        }
    else:
        charging["acChargingParameters"] = {
            "energyAmount": energy,
            "evMinCurrent": int(needs.min_current_a),
            "evMaxCurrent": int(needs.max_current_a),
            "evMaxVoltage": int(needs.max_voltage_v),
        }
    if needs.departure_at is not None:
        charging["departureTime"] = format_timestamp(needs.departure_at)
    return {"chargingNeeds": charging, "evseId": needs.evse_id}


def _token_answer(payload: Payload) -> Answer:
    info = payload.get("idTokenInfo")
    return notes.TokenAnswer(None if info is None else token_info(info))


def _transaction_answer(payload: Payload) -> Answer:
    """The token's status, and (I03) the final cost of an Ended event's answer."""
    info, total = payload.get("idTokenInfo"), payload.get("totalCost")
    cost = None if total is None else Decimal(str(total))
    return notes.TokenAnswer(None if info is None else token_info(info), total_cost=cost)


ANSWERS: dict[str, AnswerReader] = {
    Action.BootNotification: common.boot_answer,
    Action.Authorize: _token_answer,
    Action.TransactionEvent: _transaction_answer,
    Action.SignCertificate: common.status_answer,
    Action.Get15118EVCertificate: lambda p: notes.CertificateAnswer(p["status"], p.get("exiResponse")),
    Action.GetCertificateStatus: lambda p: notes.CertificateAnswer(p["status"], p.get("ocspResult")),
    Action.DataTransfer: common.data_transfer_answer,
    Action.NotifyEVChargingNeeds: common.status_answer,
    Action.NotifyEVChargingSchedule: common.status_answer,
}

MESSAGES = common.Messages(action_of, payload_of, ANSWERS)
