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

# Generated from the response schemas (required fields only, `Accepted` where the enum has it), then
# made plausible: an unknown component for Get/SetVariables, `Unpublished` for UnpublishFirmware.
_V16: dict[str, Payload] = {
    "CancelReservation": {"status": "Accepted"},
    "CertificateSigned": {"status": "Accepted"},
    "ChangeAvailability": {"status": "Accepted"},
    "ChangeConfiguration": {"status": "Accepted"},
    "ClearCache": {"status": "Accepted"},
    "ClearChargingProfile": {"status": "Accepted"},
    "DataTransfer": {"status": "Accepted"},
    "DeleteCertificate": {"status": "Accepted"},
    "ExtendedTriggerMessage": {"status": "Accepted"},
    "GetCompositeSchedule": {"status": "Accepted"},
    "GetConfiguration": {},
    "GetDiagnostics": {},
    "GetInstalledCertificateIds": {"status": "Accepted"},
    "GetLocalListVersion": {"listVersion": 0},
    "GetLog": {"status": "Accepted"},
    "InstallCertificate": {"status": "Accepted"},
    "RemoteStartTransaction": {"status": "Accepted"},
    "RemoteStopTransaction": {"status": "Accepted"},
    "ReserveNow": {"status": "Accepted"},
    "Reset": {"status": "Accepted"},
    "SendLocalList": {"status": "Accepted"},
    "SetChargingProfile": {"status": "Accepted"},
    "SignedUpdateFirmware": {"status": "Accepted"},
    "TriggerMessage": {"status": "Accepted"},
    "UnlockConnector": {"status": "Unlocked"},
    "UpdateFirmware": {},
}
_V201: dict[str, Payload] = {
    "CancelReservation": {"status": "Accepted"},
    "CertificateSigned": {"status": "Accepted"},
    "ChangeAvailability": {"status": "Accepted"},
    "ClearCache": {"status": "Accepted"},
    "ClearChargingProfile": {"status": "Accepted"},
    "ClearDisplayMessage": {"status": "Accepted"},
    "ClearVariableMonitoring": {"clearMonitoringResult": [{"status": "Accepted", "id": 0}]},
    "CostUpdated": {},
    "CustomerInformation": {"status": "Accepted"},
    "DataTransfer": {"status": "Accepted"},
    "DeleteCertificate": {"status": "Accepted"},
    "GetBaseReport": {"status": "Accepted"},
    "GetChargingProfiles": {"status": "Accepted"},
    "GetCompositeSchedule": {"status": "Accepted"},
    "GetDisplayMessages": {"status": "Accepted"},
    "GetInstalledCertificateIds": {"status": "Accepted"},
    "GetLocalListVersion": {"versionNumber": 0},
    "GetLog": {"status": "Accepted"},
    "GetMonitoringReport": {"status": "Accepted"},
    "GetReport": {"status": "Accepted"},
    "GetTransactionStatus": {"messagesInQueue": False},
    "GetVariables": {
        "getVariableResult": [
            {
                "attributeStatus": "UnknownComponent",
                "component": {"name": "Unknown"},
                "variable": {"name": "Unknown"},
            }
        ]
    },
    "InstallCertificate": {"status": "Accepted"},
    "PublishFirmware": {"status": "Accepted"},
    "RequestStartTransaction": {"status": "Accepted"},
    "RequestStopTransaction": {"status": "Accepted"},
    "ReserveNow": {"status": "Accepted"},
    "Reset": {"status": "Accepted"},
    "SendLocalList": {"status": "Accepted"},
    "SetChargingProfile": {"status": "Accepted"},
    "SetDisplayMessage": {"status": "Accepted"},
    "SetMonitoringBase": {"status": "Accepted"},
    "SetMonitoringLevel": {"status": "Accepted"},
    "SetNetworkProfile": {"status": "Accepted"},
    "SetVariableMonitoring": {
        "setMonitoringResult": [
            {
                "status": "Accepted",
                "type": "UpperThreshold",
                "severity": 0,
                "component": {"name": "Unknown"},
                "variable": {"name": "Unknown"},
            }
        ]
    },
    "SetVariables": {
        "setVariableResult": [
            {
                "attributeStatus": "UnknownComponent",
                "component": {"name": "Unknown"},
                "variable": {"name": "Unknown"},
            }
        ]
    },
    "TriggerMessage": {"status": "Accepted"},
    "UnlockConnector": {"status": "Unlocked"},
    "UnpublishFirmware": {"status": "Unpublished"},
    "UpdateFirmware": {"status": "Accepted"},
}
# 2.1 answers every 2.0.1 CSMS-initiated action the same way, and these besides.
_V21: dict[str, Payload] = _V201 | {
    "AFRRSignal": {"status": "Accepted"},
    "AdjustPeriodicEventStream": {"status": "Accepted"},
    "ChangeTransactionTariff": {"status": "Accepted"},
    "ClearDERControl": {"status": "Accepted"},
    "ClearTariffs": {"clearTariffsResult": [{"status": "Accepted"}]},
    "GetDERControl": {"status": "Accepted"},
    "GetPeriodicEventStream": {},
    "GetTariffs": {"status": "Accepted"},
    "NotifyAllowedEnergyTransfer": {"status": "Accepted"},
    "NotifyWebPaymentStarted": {},
    "RequestBatterySwap": {"status": "Accepted"},
    "SetDERControl": {"status": "Accepted"},
    "SetDefaultTariff": {"status": "Accepted"},
    "UpdateDynamicSchedule": {"status": "Accepted"},
    "UsePriorityCharging": {"status": "Accepted"},
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
