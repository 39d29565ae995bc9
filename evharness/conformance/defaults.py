"""The scripted station's answer to a CSMS CALL no step scripted: data, one table per OCPP version.

Each entry is a minimal payload valid against the official response schema (a test holds every entry
to it, and every CSMS-initiated action of the version to having one): a CSMS under test never sees
a malformed answer the harness made up. Anything else gets a CALLERROR (OCPP-J §4.2.3): an action the
version has but a CSMS never sends is `NotSupported`, an action the version lacks `NotImplemented`.
"""

from __future__ import annotations

from evharness.ocppj import schemas
from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action, Status

# Generated from the response schemas (required fields only, `Accepted` where the enum has it), then
# made plausible: an unknown component for Get/SetVariables, `Unpublished` for UnpublishFirmware.
_V16: dict[str, Payload] = {
    Action.CancelReservation: {"status": Status.ACCEPTED},
    Action.CertificateSigned: {"status": Status.ACCEPTED},
    Action.ChangeAvailability: {"status": Status.ACCEPTED},
    Action.ChangeConfiguration: {"status": Status.ACCEPTED},
    Action.ClearCache: {"status": Status.ACCEPTED},
    Action.ClearChargingProfile: {"status": Status.ACCEPTED},
    Action.DataTransfer: {"status": Status.ACCEPTED},
    Action.DeleteCertificate: {"status": Status.ACCEPTED},
    Action.ExtendedTriggerMessage: {"status": Status.ACCEPTED},
    Action.GetCompositeSchedule: {"status": Status.ACCEPTED},
    Action.GetConfiguration: {},
    Action.GetDiagnostics: {},
    Action.GetInstalledCertificateIds: {"status": Status.ACCEPTED},
    Action.GetLocalListVersion: {"listVersion": 0},
    Action.GetLog: {"status": Status.ACCEPTED},
    Action.InstallCertificate: {"status": Status.ACCEPTED},
    Action.RemoteStartTransaction: {"status": Status.ACCEPTED},
    Action.RemoteStopTransaction: {"status": Status.ACCEPTED},
    Action.ReserveNow: {"status": Status.ACCEPTED},
    Action.Reset: {"status": Status.ACCEPTED},
    Action.SendLocalList: {"status": Status.ACCEPTED},
    Action.SetChargingProfile: {"status": Status.ACCEPTED},
    Action.SignedUpdateFirmware: {"status": Status.ACCEPTED},
    Action.TriggerMessage: {"status": Status.ACCEPTED},
    Action.UnlockConnector: {"status": "Unlocked"},
    Action.UpdateFirmware: {},
}
_V201: dict[str, Payload] = {
    Action.CancelReservation: {"status": Status.ACCEPTED},
    Action.CertificateSigned: {"status": Status.ACCEPTED},
    Action.ChangeAvailability: {"status": Status.ACCEPTED},
    Action.ClearCache: {"status": Status.ACCEPTED},
    Action.ClearChargingProfile: {"status": Status.ACCEPTED},
    Action.ClearDisplayMessage: {"status": Status.ACCEPTED},
    Action.ClearVariableMonitoring: {"clearMonitoringResult": [{"status": Status.ACCEPTED, "id": 0}]},
    Action.CostUpdated: {},
    Action.CustomerInformation: {"status": Status.ACCEPTED},
    Action.DataTransfer: {"status": Status.ACCEPTED},
    Action.DeleteCertificate: {"status": Status.ACCEPTED},
    Action.GetBaseReport: {"status": Status.ACCEPTED},
    Action.GetChargingProfiles: {"status": Status.ACCEPTED},
    Action.GetCompositeSchedule: {"status": Status.ACCEPTED},
    Action.GetDisplayMessages: {"status": Status.ACCEPTED},
    Action.GetInstalledCertificateIds: {"status": Status.ACCEPTED},
    Action.GetLocalListVersion: {"versionNumber": 0},
    Action.GetLog: {"status": Status.ACCEPTED},
    Action.GetMonitoringReport: {"status": Status.ACCEPTED},
    Action.GetReport: {"status": Status.ACCEPTED},
    Action.GetTransactionStatus: {"messagesInQueue": False},
    Action.GetVariables: {
        "getVariableResult": [
            {
                "attributeStatus": "UnknownComponent",
                "component": {"name": Status.UNKNOWN},
                "variable": {"name": Status.UNKNOWN},
            }
        ]
    },
    Action.InstallCertificate: {"status": Status.ACCEPTED},
    Action.PublishFirmware: {"status": Status.ACCEPTED},
    Action.RequestStartTransaction: {"status": Status.ACCEPTED},
    Action.RequestStopTransaction: {"status": Status.ACCEPTED},
    Action.ReserveNow: {"status": Status.ACCEPTED},
    Action.Reset: {"status": Status.ACCEPTED},
    Action.SendLocalList: {"status": Status.ACCEPTED},
    Action.SetChargingProfile: {"status": Status.ACCEPTED},
    Action.SetDisplayMessage: {"status": Status.ACCEPTED},
    Action.SetMonitoringBase: {"status": Status.ACCEPTED},
    Action.SetMonitoringLevel: {"status": Status.ACCEPTED},
    Action.SetNetworkProfile: {"status": Status.ACCEPTED},
    Action.SetVariableMonitoring: {
        "setMonitoringResult": [
            {
                "status": Status.ACCEPTED,
                "type": "UpperThreshold",
                "severity": 0,
                "component": {"name": Status.UNKNOWN},
                "variable": {"name": Status.UNKNOWN},
            }
        ]
    },
    Action.SetVariables: {
        "setVariableResult": [
            {
                "attributeStatus": "UnknownComponent",
                "component": {"name": Status.UNKNOWN},
                "variable": {"name": Status.UNKNOWN},
            }
        ]
    },
    Action.TriggerMessage: {"status": Status.ACCEPTED},
    Action.UnlockConnector: {"status": "Unlocked"},
    Action.UnpublishFirmware: {"status": "Unpublished"},
    Action.UpdateFirmware: {"status": Status.ACCEPTED},
}
# 2.1 answers every 2.0.1 CSMS-initiated action the same way, and these besides.
_V21: dict[str, Payload] = _V201 | {
    Action.AFRRSignal: {"status": Status.ACCEPTED},
    Action.AdjustPeriodicEventStream: {"status": Status.ACCEPTED},
    Action.ChangeTransactionTariff: {"status": Status.ACCEPTED},
    Action.ClearDERControl: {"status": Status.ACCEPTED},
    Action.ClearTariffs: {"clearTariffsResult": [{"status": Status.ACCEPTED}]},
    Action.GetDERControl: {"status": Status.ACCEPTED},
    Action.GetPeriodicEventStream: {},
    Action.GetTariffs: {"status": Status.ACCEPTED},
    Action.NotifyAllowedEnergyTransfer: {"status": Status.ACCEPTED},
    Action.NotifyWebPaymentStarted: {},
    Action.RequestBatterySwap: {"status": Status.ACCEPTED},
    Action.SetDERControl: {"status": Status.ACCEPTED},
    Action.SetDefaultTariff: {"status": Status.ACCEPTED},
    Action.UpdateDynamicSchedule: {"status": Status.ACCEPTED},
    Action.UsePriorityCharging: {"status": Status.ACCEPTED},
}

DEFAULT_ANSWERS: dict[OcppVersion, dict[str, Payload]] = {
    OcppVersion.V16: _V16,
    OcppVersion.V201: _V201,
    OcppVersion.V21: _V21,
}


def default_answer(version: OcppVersion, action: str) -> Payload | ErrorKind:
    """The payload of the CALLRESULT for `action`, or the kind of CALLERROR to send instead."""
    answer = DEFAULT_ANSWERS[version].get(action)
    if answer is not None:
        return dict(answer)  # a copy: a caller may not change the table
    if action in schemas.known_actions(version):
        return ErrorKind.NOT_SUPPORTED
    return ErrorKind.NOT_IMPLEMENTED
