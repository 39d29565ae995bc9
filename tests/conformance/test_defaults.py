"""The scripted station's default answers: every CSMS-initiated action has one, valid per the schema."""

from __future__ import annotations

import pytest

from evharness.conformance.defaults import DEFAULT_ANSWERS, default_answer
from evharness.ocppj import schemas
from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.versions import OcppVersion

_16 = (
    "CancelReservation ChangeAvailability ChangeConfiguration ClearCache ClearChargingProfile DataTransfer"
    " GetCompositeSchedule GetConfiguration GetDiagnostics GetLocalListVersion RemoteStartTransaction"
    " RemoteStopTransaction ReserveNow Reset SendLocalList SetChargingProfile TriggerMessage UnlockConnector"
    " UpdateFirmware CertificateSigned DeleteCertificate ExtendedTriggerMessage GetInstalledCertificateIds"
    " GetLog InstallCertificate SignedUpdateFirmware"
)
_201 = (
    "CancelReservation CertificateSigned ChangeAvailability ClearCache ClearChargingProfile"
    " ClearDisplayMessage"
    " ClearVariableMonitoring CostUpdated CustomerInformation DataTransfer DeleteCertificate GetBaseReport"
    " GetChargingProfiles GetCompositeSchedule GetDisplayMessages GetInstalledCertificateIds"
    " GetLocalListVersion GetLog GetMonitoringReport GetReport GetTransactionStatus GetVariables"
    " InstallCertificate PublishFirmware RequestStartTransaction RequestStopTransaction ReserveNow Reset"
    " SendLocalList SetChargingProfile SetDisplayMessage SetMonitoringBase SetMonitoringLevel"
    " SetNetworkProfile SetVariableMonitoring SetVariables TriggerMessage UnlockConnector UnpublishFirmware"
    " UpdateFirmware"
)
_21_ONLY = (
    "AFRRSignal AdjustPeriodicEventStream ChangeTransactionTariff ClearDERControl ClearTariffs GetDERControl"
    " GetPeriodicEventStream GetTariffs NotifyAllowedEnergyTransfer NotifyWebPaymentStarted"
    " RequestBatterySwap SetDERControl SetDefaultTariff UpdateDynamicSchedule UsePriorityCharging"
)
# The actions a CSMS sends (the specifications' direction tables), kept here apart from the table.
CSMS_INITIATED: dict[OcppVersion, frozenset[str]] = {
    OcppVersion.V16: frozenset(_16.split()),
    OcppVersion.V201: frozenset(_201.split()),
    OcppVersion.V21: frozenset(_201.split()) | frozenset(_21_ONLY.split()),
}

ENTRIES = [(v, a) for v in OcppVersion for a in sorted(CSMS_INITIATED[v])]


@pytest.mark.parametrize(("version", "action"), ENTRIES, ids=[f"{v.value}-{a}" for v, a in ENTRIES])
def test_every_csms_initiated_action_has_a_schema_valid_default(version: OcppVersion, action: str) -> None:
    assert action in schemas.known_actions(version), f"{action} is no OCPP {version.value} action"
    assert action in DEFAULT_ANSWERS[version], f"OCPP {version.value}: no default answer to {action}"
    validate = schemas.validator(version, action, response=True)
    assert validate is not None
    assert schemas.check(validate, DEFAULT_ANSWERS[version][action]) is None


@pytest.mark.parametrize("version", list(OcppVersion))
def test_the_table_holds_only_csms_initiated_actions(version: OcppVersion) -> None:
    assert set(DEFAULT_ANSWERS[version]) == CSMS_INITIATED[version]


def test_get_local_list_version_gets_its_own_field_not_a_status() -> None:
    assert default_answer(OcppVersion.V16, "GetLocalListVersion") == {"listVersion": 0}
    assert default_answer(OcppVersion.V201, "GetLocalListVersion") == {"versionNumber": 0}


def test_a_station_initiated_action_is_not_supported_an_unknown_one_not_implemented() -> None:
    assert default_answer(OcppVersion.V201, "BootNotification") is ErrorKind.NOT_SUPPORTED
    assert default_answer(OcppVersion.V16, "RequestStartTransaction") is ErrorKind.NOT_IMPLEMENTED
    assert default_answer(OcppVersion.V21, "Teleport") is ErrorKind.NOT_IMPLEMENTED


def test_a_default_is_a_copy() -> None:
    answer = default_answer(OcppVersion.V201, "Reset")
    assert isinstance(answer, dict)
    answer["status"] = "Rejected"
    assert DEFAULT_ANSWERS[OcppVersion.V201]["Reset"] == {"status": "Accepted"}
