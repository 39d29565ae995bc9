"""How a 2.0.1 station answers monitoring (N02–N06) and customer-information (N09/N10) CALLs, and
writes their reports: the words of 2.0.1 around `simulator.core.monitoring` and `core.customers`."""

from __future__ import annotations

from evharness.ocppj.frames import Payload
from evharness.ocppj.payloads import v201 as wire
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.vocabulary import Status
from evharness.simulator.core import notes
from evharness.simulator.core.codec import StationView
from evharness.simulator.core.customers import Customer
from evharness.simulator.core.monitoring import MonitorRequest
from evharness.simulator.protocol.common import as_payload

MONITOR_TYPES: dict[str, wire.MonitorEnumType] = {
    "UpperThreshold": "UpperThreshold",
    "LowerThreshold": "LowerThreshold",
    "Delta": "Delta",
    "Periodic": "Periodic",
    "PeriodicClockAligned": "PeriodicClockAligned",
}
TRIGGERS: dict[str, wire.EventTriggerEnumType] = {
    "Alerting": "Alerting",
    "Delta": "Delta",
    "Periodic": "Periodic",
}

ORIGINS: dict[str, wire.EventNotificationEnumType] = {
    "HardWiredMonitor": "HardWiredMonitor",
    "CustomMonitor": "CustomMonitor",
}


def set_variable_monitoring(
    view: StationView, payload: wire.SetVariableMonitoringRequest, now: float
) -> wire.SetVariableMonitoringResponse:
    """N04: one result per monitor asked for, with the id the station gave it."""
    results: list[wire.SetMonitoringResultType] = []
    for item in payload["setMonitoringData"]:
        request = MonitorRequest(
            item.get("id"),
            item["component"]["name"],
            item["variable"]["name"],
            item["type"],
            item["value"],
            item["severity"],
            item.get("transaction", False),
        )
        status, number = view.set_monitor(request, now)
        result: wire.SetMonitoringResultType = {
            "status": status,
            "type": item["type"],
            "severity": item["severity"],
            "component": item["component"],
            "variable": item["variable"],
        }
        if number is not None:
            result["id"] = number
        results.append(result)
    return {"setMonitoringResult": results}


def clear_variable_monitoring(
    view: StationView, payload: wire.ClearVariableMonitoringRequest, now: float
) -> wire.ClearVariableMonitoringResponse:
    return {"clearMonitoringResult": [{"id": n, "status": s} for n, s in view.clear_monitors(payload["id"])]}


def set_monitoring_base(
    view: StationView, payload: wire.SetMonitoringBaseRequest, now: float
) -> wire.SetMonitoringBaseResponse:
    accepted = view.set_monitoring_base(payload["monitoringBase"])
    return {"status": Status.ACCEPTED if accepted else Status.REJECTED}


def set_monitoring_level(
    view: StationView, payload: wire.SetMonitoringLevelRequest, now: float
) -> wire.SetMonitoringLevelResponse:
    """N05.FR.02: a severity outside 0–9 is Rejected."""
    return {"status": Status.ACCEPTED if view.set_monitoring_level(payload["severity"]) else Status.REJECTED}


def get_monitoring_report(
    view: StationView, payload: wire.GetMonitoringReportRequest, now: float
) -> wire.GetMonitoringReportResponse:
    """N02: Accepted and NotifyMonitoringReport, or EmptyResultSet when no monitor matches."""
    names = [
        f"{cv['component']['name']}.{cv['variable']['name']}"
        for cv in payload.get("componentVariable", [])
        if "variable" in cv
    ]
    criteria = [str(c) for c in payload.get("monitoringCriteria", [])]
    found = view.monitoring_report(payload["requestId"], criteria, names, now)
    return {"status": Status.ACCEPTED if found else "EmptyResultSet"}


def customer_information(
    view: StationView, payload: wire.CustomerInformationRequest, now: float
) -> wire.CustomerInformationResponse:
    """N09/N10: by idToken, customerIdentifier or customerCertificate — one of them; Invalid when the
    request names more than one customer or asks neither report nor clear."""
    token, certificate = payload.get("idToken"), payload.get("customerCertificate")
    customer = Customer(
        token["idToken"] if token else None,
        payload.get("customerIdentifier"),
        certificate["serialNumber"] if certificate else None,
    )
    if not (payload["report"] or payload["clear"]) or customer.named > 1:
        return {"status": "Invalid"}
    view.customer_information(payload["requestId"], payload["report"], payload["clear"], customer, now)
    return {"status": Status.ACCEPTED}


def notify_event(note: notes.EventNote) -> Payload:
    events: list[wire.EventDataType] = []
    for event in note.events:
        data: wire.EventDataType = {
            "eventId": event.event_id,
            "timestamp": format_timestamp(event.at),
            "trigger": "Alerting"
            if event.trigger == "Alerting"
            else ("Delta" if event.trigger == "Delta" else "Periodic"),
            "actualValue": event.actual_value[:2500],
            "component": {"name": event.component},
            "variable": {"name": event.variable},
            "variableMonitoringId": event.monitor_id,
            "eventNotificationType": ORIGINS[event.origin],
        }
        if event.cleared:
            data["cleared"] = True
        events.append(data)
    return as_payload(
        wire.NotifyEventRequest(generatedAt=format_timestamp(note.at), seqNo=0, eventData=events)
    )


def notify_monitoring_report(note: notes.MonitoringReportNote) -> Payload:
    """One entry per variable, with every monitor on it."""
    by_variable: dict[str, list[wire.VariableMonitoringType]] = {}
    for number, name, kind, value, severity in note.monitors:
        monitoring: wire.VariableMonitoringType = {
            "id": number,
            "transaction": False,
            "value": value,
            "type": MONITOR_TYPES[kind],
            "severity": severity,
        }
        by_variable.setdefault(name, []).append(monitoring)
    monitors: list[wire.MonitoringDataType] = []
    for name, monitorings in by_variable.items():
        component, variable = name.split(".", 1)
        monitors.append(
            {
                "component": {"name": component},
                "variable": {"name": variable},
                "variableMonitoring": monitorings,
            }
        )
    report = wire.NotifyMonitoringReportRequest(
        requestId=note.request_id, seqNo=0, generatedAt=format_timestamp(note.at), tbc=False, monitor=monitors
    )
    return as_payload(report)


def notify_customer_information(note: notes.CustomerDataNote) -> Payload:
    return as_payload(
        wire.NotifyCustomerInformationRequest(
            data=note.data[:512],
            seqNo=0,
            generatedAt=format_timestamp(note.at),
            requestId=note.request_id,
            tbc=False,
        )
    )
