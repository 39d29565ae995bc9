"""The station's configuration store: the 2.0.1 device model, and the 1.6 keys as views onto it.

One table (`VARIABLES`) says what the station knows: each variable's default, type and access.
OCPP 1.6 configuration keys (`KEYS_16`) are aliases of the same variables, so a 1.6 station and a
2.0.1 station share the offline, authorization and retry logic that reads them. Reads and writes
answer with the status each version's message uses (B05/B06 SetVariables/GetVariables,
1.6 §5.3/§5.8 ChangeConfiguration/GetConfiguration).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from evharness.ocppj.passwords import password_of_key
from evharness.ocppj.vocabulary import Status


class Kind(Enum):
    BOOLEAN = "boolean"
    INTEGER = "integer"
    STRING = "string"
    CSV = "csv"
    DECIMAL = "decimal"  # the physical components' Power (`inventory`)
    OPTION_LIST = "option list"  # AvailabilityState, ConnectorType


class Access(Enum):
    READ_WRITE = "ReadWrite"
    READ_ONLY = "ReadOnly"
    WRITE_ONLY = "WriteOnly"


@dataclass(frozen=True, slots=True)
class Variable:
    default: str
    kind: Kind = Kind.STRING
    access: Access = Access.READ_WRITE
    minimum: int | None = None
    maximum: int | None = None
    reboot: bool = False  # a change takes effect after a reset (RebootRequired)
    max_limit: int | None = None  # the variableCharacteristics maxLimit, e.g. a capacity (overridable)


RW, RO, WO = Access.READ_WRITE, Access.READ_ONLY, Access.WRITE_ONLY
B, N, S, C = Kind.BOOLEAN, Kind.INTEGER, Kind.STRING, Kind.CSV

# "Component.Variable" → definition (2.0.1 Part 2 Appendix, the variables the station implements)
VARIABLES: dict[str, Variable] = {
    "AuthCtrlr.Enabled": Variable("true", B),
    "AuthCtrlr.AuthorizeRemoteStart": Variable("true", B),
    "AuthCtrlr.LocalAuthorizeOffline": Variable("true", B),
    "AuthCtrlr.LocalPreAuthorize": Variable("false", B),
    "AuthCtrlr.OfflineTxForUnknownIdEnabled": Variable("false", B),
    "AuthCtrlr.DisableRemoteAuthorization": Variable("false", B),
    "AuthCacheCtrlr.Enabled": Variable("true", B),
    "AuthCacheCtrlr.Available": Variable("true", B, RO),
    "AuthCacheCtrlr.LifeTime": Variable("86400", N, minimum=0),
    "AuthCacheCtrlr.Policy": Variable("LRU", S, RO),
    # Storage: the bytes the cache takes; its maxLimit is the capacity in bytes (2.0.1 Part 2 Appendix;
    # AuthCacheCtrlr has no entry count, and 1.6 no key for the cache's size)
    "AuthCacheCtrlr.Storage": Variable("0", N, RO, max_limit=65_536),
    "AuthCacheCtrlr.DisablePostAuthorize": Variable("false", B),
    "LocalAuthListCtrlr.Enabled": Variable("true", B),
    "LocalAuthListCtrlr.Available": Variable("true", B, RO),
    # Entries: the number of entries held; its maxLimit is the capacity. Storage: the bytes they take.
    "LocalAuthListCtrlr.Entries": Variable("0", N, RO, max_limit=10_000),
    "LocalAuthListCtrlr.ItemsPerMessage": Variable("250", N, RO),
    "LocalAuthListCtrlr.BytesPerMessage": Variable("65536", N, RO),
    "LocalAuthListCtrlr.Storage": Variable("0", N, RO),
    "LocalAuthListCtrlr.DisablePostAuthorize": Variable("false", B),
    "TxCtrlr.EVConnectionTimeOut": Variable("60", N, minimum=0),
    "TxCtrlr.StopTxOnEVSideDisconnect": Variable("true", B),
    "TxCtrlr.StopTxOnInvalidId": Variable("true", B),
    "TxCtrlr.MaxEnergyOnInvalidId": Variable("0", N, minimum=0),
    "TxCtrlr.TxBeforeAcceptedEnabled": Variable("false", B),
    "TxCtrlr.TxStartPoint": Variable("EVConnected", C, RO),
    "TxCtrlr.TxStopPoint": Variable("EVConnected,Authorized", C, RO),
    "OCPPCommCtrlr.HeartbeatInterval": Variable("300", N, minimum=1),
    "OCPPCommCtrlr.MessageTimeout[Default]": Variable("30", N, minimum=1),
    "OCPPCommCtrlr.MessageAttempts[TransactionEvent]": Variable("3", N, minimum=1),
    "OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent]": Variable("60", N, minimum=0),
    "OCPPCommCtrlr.OfflineThreshold": Variable("60", N, minimum=0),
    "OCPPCommCtrlr.QueueAllMessages": Variable("false", B),
    "OCPPCommCtrlr.ResetRetries": Variable("1", N, minimum=0),
    "OCPPCommCtrlr.RetryBackOffWaitMinimum": Variable("1", N, minimum=0),
    "OCPPCommCtrlr.RetryBackOffRandomRange": Variable("5", N, minimum=0),
    "OCPPCommCtrlr.RetryBackOffRepeatTimes": Variable("5", N, minimum=0),
    "OCPPCommCtrlr.NetworkConfigurationPriority": Variable("1", C),
    "OCPPCommCtrlr.WebSocketPingInterval": Variable("0", N, minimum=0),
    "SecurityCtrlr.SecurityProfile": Variable("0", N, RO, minimum=0, maximum=3),
    "SecurityCtrlr.BasicAuthPassword": Variable("", S, WO),
    "SecurityCtrlr.Identity": Variable("", S, RO),
    "SecurityCtrlr.OrganizationName": Variable("evharness", S),
    # Entries: the certificates installed; its maxLimit the store's capacity (M05.FR.03 Failed beyond)
    "SecurityCtrlr.CertificateEntries": Variable("0", N, RO, max_limit=20),
    "SecurityCtrlr.CertSigningWaitMinimum": Variable("60", N, minimum=1),  # A02.FR.17
    "SecurityCtrlr.CertSigningRepeatTimes": Variable("3", N, minimum=0),  # A02.FR.18
    "SampledDataCtrlr.Enabled": Variable("true", B),
    "SampledDataCtrlr.TxUpdatedInterval": Variable("60", N, minimum=0),
    "SampledDataCtrlr.TxUpdatedMeasurands": Variable(
        "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC", C
    ),
    "SampledDataCtrlr.TxEndedMeasurands": Variable("Energy.Active.Import.Register", C),
    "AlignedDataCtrlr.Interval": Variable("0", N, minimum=0),
    "SmartChargingCtrlr.Enabled": Variable("true", B),
    "SmartChargingCtrlr.Available": Variable("true", B, RO),
    "SmartChargingCtrlr.ProfileStackLevel": Variable("10", N, RO),
    "SmartChargingCtrlr.PeriodsPerSchedule": Variable("24", N, RO),
    "SmartChargingCtrlr.Entries": Variable("20", N, RO),
    "SmartChargingCtrlr.RateUnit": Variable("A,W", C, RO),
    "SmartChargingCtrlr.LimitChangeSignificance": Variable("0", N, minimum=0, maximum=100),  # percent
    "SmartChargingCtrlr.NotifyChargingLimitWithSchedules": Variable("true", B),
    "DeviceDataCtrlr.ItemsPerMessage[GetReport]": Variable("100", N, RO),  # NotifyReport rows (B07.FR.07)
    "DeviceDataCtrlr.BytesPerMessage[GetReport]": Variable("65536", N, RO),
    "DeviceDataCtrlr.ItemsPerMessage[GetVariables]": Variable("100", N, RO),
    "DeviceDataCtrlr.ItemsPerMessage[SetVariables]": Variable("100", N, RO),
    "ChargingStation.AllowNewSessionsPendingFirmwareUpdate": Variable("false", B),  # L01.FR.07
    "ChargingStation.Model": Variable("", S, RO),
    "ChargingStation.VendorName": Variable("", S, RO),
    # The reference backend's station settings (its own vendor variables, pushed by the console):
    # a maximum current the delivered power obeys (0: none), and values the station only keeps.
    "ChargingStation.MaxChargingCurrent": Variable("0", N, minimum=0, maximum=1000),
    "ChargingStation.ConnectionPhases": Variable("3", N, minimum=1, maximum=3),
    "ChargingStation.ChargingTimes": Variable("", S),
    "ChargingStation.ChargingPriority": Variable("0", N, minimum=0, maximum=9),
    "LoadBalancer.MaxCurrent": Variable("0", N, minimum=0),
    "TariffCtrlr.PricePerKWh": Variable("", S),
    "TariffCtrlr.TariffName": Variable("", S),
    # I: tariff and cost (`core.cost`): Enabled[Cost] false makes the station ignore every cost it is told
    "TariffCostCtrlr.Available[Tariff]": Variable("true", B, RO),
    "TariffCostCtrlr.Available[Cost]": Variable("true", B, RO),
    "TariffCostCtrlr.Enabled[Tariff]": Variable("true", B),
    "TariffCostCtrlr.Enabled[Cost]": Variable("true", B),
    "TariffCostCtrlr.Currency": Variable("EUR", S),
    "TariffCostCtrlr.TariffFallbackMessage": Variable("Prices at the station", S),
    "TariffCostCtrlr.TotalCostFallbackMessage": Variable("Your total cost follows by email", S),
    "AuthCtrlr.AuthorizationTypes": Variable("pin,rfid", C),
    # measured by the station (the tester sets it with `Station.observe`); hard-wired monitors watch it
    "TemperatureSensor.Temperature": Variable("25", N, RO),
    # H01: reservations (1.6 ReserveConnectorZeroSupported reads NonEvseSpecific)
    "ReservationCtrlr.Available": Variable("true", B, RO),
    "ReservationCtrlr.Enabled": Variable("true", B),
    "ReservationCtrlr.NonEvseSpecific": Variable("true", B),
    # O01: display messages; DisplayMessages counts those held, its maxLimit is the capacity
    "DisplayMessageCtrlr.Available": Variable("true", B, RO),
    "DisplayMessageCtrlr.Enabled": Variable("true", B),
    "DisplayMessageCtrlr.DisplayMessages": Variable("0", N, RO, max_limit=10),
    "DisplayMessageCtrlr.SupportedFormats": Variable("ASCII,HTML,URI,UTF8", C),
    "DisplayMessageCtrlr.SupportedPriorities": Variable("AlwaysFront,InFront,NormalCycle", C),
    # evharness's own (the spec has NotSupportedState but no variable listing the states)
    "DisplayMessageCtrlr.SupportedStates": Variable("Charging,Faulted,Idle,Unavailable", C),
}

# OCPP 1.6 configuration key → the variable it reads and writes (1.6 §9), or a 1.6-only value
KEYS_16: dict[str, str] = {
    "AllowOfflineTxForUnknownId": "AuthCtrlr.OfflineTxForUnknownIdEnabled",
    "AuthorizationCacheEnabled": "AuthCacheCtrlr.Enabled",
    "AuthorizeRemoteTxRequests": "AuthCtrlr.AuthorizeRemoteStart",
    "ClockAlignedDataInterval": "AlignedDataCtrlr.Interval",
    "ConnectionTimeOut": "TxCtrlr.EVConnectionTimeOut",
    "HeartbeatInterval": "OCPPCommCtrlr.HeartbeatInterval",
    "LocalAuthListEnabled": "LocalAuthListCtrlr.Enabled",
    "LocalAuthorizeOffline": "AuthCtrlr.LocalAuthorizeOffline",
    "LocalPreAuthorize": "AuthCtrlr.LocalPreAuthorize",
    "MaxEnergyOnInvalidId": "TxCtrlr.MaxEnergyOnInvalidId",
    "MeterValueSampleInterval": "SampledDataCtrlr.TxUpdatedInterval",
    "MeterValuesSampledData": "SampledDataCtrlr.TxUpdatedMeasurands",
    "StopTxnSampledData": "SampledDataCtrlr.TxEndedMeasurands",
    "ResetRetries": "OCPPCommCtrlr.ResetRetries",
    "SendLocalListMaxLength": "LocalAuthListCtrlr.ItemsPerMessage",
    "StopTransactionOnEVSideDisconnect": "TxCtrlr.StopTxOnEVSideDisconnect",
    "StopTransactionOnInvalidId": "TxCtrlr.StopTxOnInvalidId",
    "TransactionMessageAttempts": "OCPPCommCtrlr.MessageAttempts[TransactionEvent]",
    "TransactionMessageRetryInterval": "OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent]",
    "WebSocketPingInterval": "OCPPCommCtrlr.WebSocketPingInterval",
    "ChargeProfileMaxStackLevel": "SmartChargingCtrlr.ProfileStackLevel",
    "ChargingScheduleMaxPeriods": "SmartChargingCtrlr.PeriodsPerSchedule",
    "MaxChargingProfilesInstalled": "SmartChargingCtrlr.Entries",
    "AuthorizationKey": "SecurityCtrlr.BasicAuthPassword",
    "SecurityProfile": "SecurityCtrlr.SecurityProfile",
    "CpoName": "SecurityCtrlr.OrganizationName",  # 1.6 white paper: the O of the station's certificate
    "CertSigningWaitMinimum": "SecurityCtrlr.CertSigningWaitMinimum",
    "CertSigningRepeatTimes": "SecurityCtrlr.CertSigningRepeatTimes",
    # the reference backend's vendor keys (see VARIABLES)
    "MaxChargingCurrent": "ChargingStation.MaxChargingCurrent",
    "ConnectionPhases": "ChargingStation.ConnectionPhases",
    "ChargingTimes": "ChargingStation.ChargingTimes",
    "ChargingPriority": "ChargingStation.ChargingPriority",
    "LoadBalancerMaxCurrent": "LoadBalancer.MaxCurrent",
    "PricePerKWh": "TariffCtrlr.PricePerKWh",
    "TariffName": "TariffCtrlr.TariffName",
    "AuthorizationTypes": "AuthCtrlr.AuthorizationTypes",
    "ReserveConnectorZeroSupported": "ReservationCtrlr.NonEvseSpecific",
    # the OCA California Pricing keys (1.6 has no cost messages: `evharness.ocppj.cost_messages`)
    "CustomDisplayCostAndPrice": "TariffCostCtrlr.Enabled[Cost]",
    "Currency": "TariffCostCtrlr.Currency",
}
# OCPP 1.6 configuration key → the variable whose maxLimit it is (read-only on 1.6)
LIMIT_KEYS_16: dict[str, str] = {
    "LocalAuthListMaxLength": "LocalAuthListCtrlr.Entries",  # 1.6 §9.4: the list's capacity
    "CertificateStoreMaxLength": "SecurityCtrlr.CertificateEntries",  # 1.6 white paper
}
MAX_LIMIT_SUFFIX = ".maxLimit"  # an override of a maxLimit: "LocalAuthListCtrlr.Entries.maxLimit"
# 1.6-only keys with fixed values
FIXED_16: dict[str, str] = {
    "SupportedFeatureProfiles": "Core,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger",
    "ChargingScheduleAllowedChargingRateUnit": "Current,Power",
    "GetConfigurationMaxKeys": "100",
    "ConnectorPhaseRotation": "NotApplicable",
    "MeterValuesAlignedData": "Energy.Active.Import.Register",
    "NumberOfConnectors": "",  # filled by the station
}


def _valid(variable: Variable, value: str) -> bool:
    match variable.kind:
        case Kind.BOOLEAN:
            return value.lower() in ("true", "false")
        case Kind.INTEGER:
            try:
                number = int(value)
            except ValueError:
                return False
            too_low = variable.minimum is not None and number < variable.minimum
            too_high = variable.maximum is not None and number > variable.maximum
            return not (too_low or too_high)
    return True


def _normalized(variable: Variable, value: str) -> str:
    return value.lower() if variable.kind is Kind.BOOLEAN else value


ChangeHook = Callable[[str, str], None]


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One variable as a device model report shows it; `value` None: write-only (B07.FR.03)."""

    component: str
    variable: str
    instance: str | None
    definition: Variable
    value: str | None
    max_limit: int | None
    evse_id: int | None = None  # a component of an EVSE (`inventory`: EVSE, Connector)
    connector_id: int | None = None


def _limit(key: str, value: str) -> int:
    try:
        limit = int(value)
    except ValueError:
        limit = -1
    if limit < 0:
        raise ValueError(f"configuration {key!r} must be a whole number >= 0, not {value!r}")
    return limit


GetVariableStatus = Literal["Accepted", "Rejected", "UnknownComponent", "UnknownVariable"]
SetVariableStatus = Literal["Accepted", "Rejected", "RebootRequired", "UnknownComponent", "UnknownVariable"]
ConfigurationStatus = Literal["Accepted", "Rejected", "RebootRequired", "NotSupported"]


# Shared by every station, never written: a station's writes go to its own map (`DeviceModel`).
DEFAULTS: dict[str, str] = {key: variable.default for key, variable in VARIABLES.items()}
MAX_LIMITS: dict[str, int] = {
    key: variable.max_limit for key, variable in VARIABLES.items() if variable.max_limit is not None
}


class DeviceModel:
    """The values of `VARIABLES`, overridable by a template; `on_change` hears accepted writes."""

    def __init__(self, overrides: dict[str, str] | None = None) -> None:
        # A station's own values over the defaults every station shares (a fleet of 10 000 keeps one
        # copy of the defaults, not 10 000: memory per idle station, issue 17).
        self.values: MutableMapping[str, str] = ChainMap({}, DEFAULTS)
        self.max_limits: MutableMapping[str, int] = ChainMap({}, MAX_LIMITS)
        self.fixed_16: MutableMapping[str, str] = ChainMap({}, FIXED_16)
        self.on_change: ChangeHook | None = None
        for key, value in (overrides or {}).items():
            name = KEYS_16.get(key, key)
            limited = LIMIT_KEYS_16.get(key, key.removesuffix(MAX_LIMIT_SUFFIX))
            if limited in self.max_limits and (key in LIMIT_KEYS_16 or key.endswith(MAX_LIMIT_SUFFIX)):
                self.max_limits[limited] = _limit(key, value)
            elif name in self.values:
                self.values[name] = str(value)
            elif key in self.fixed_16:
                self.fixed_16[key] = str(value)
            else:
                raise ValueError(f"unknown configuration variable {key!r}")

    # -- typed reads for the station's logic --------------------------------------------------------

    def flag(self, name: str) -> bool:
        return self.values[name].lower() == "true"

    def number(self, name: str) -> int:
        return int(self.values[name])

    def max_limit(self, name: str) -> int:
        """A variable's maxLimit characteristic, e.g. LocalAuthListCtrlr.Entries: the list's capacity."""
        return self.max_limits[name]

    def put(self, name: str, value: str) -> None:
        """The station's own write (no access check), e.g. the local list's entry count."""
        self.values[name] = value

    # -- 2.0.1 -------------------------------------------------------------------------------------

    def get_variable(
        self, component: str, variable: str, instance: str | None = None
    ) -> tuple[GetVariableStatus, str]:
        """(attributeStatus, value) for GetVariables (B06.FR.01/02/05)."""
        name = _name(component, variable, instance)
        definition = VARIABLES.get(name)
        if definition is None:
            known = any(key.split(".", 1)[0] == component for key in VARIABLES)
            return ("UnknownVariable" if known else "UnknownComponent"), ""
        if definition.access is Access.WRITE_ONLY:
            return Status.REJECTED, ""
        return Status.ACCEPTED, self.values[name]

    def set_variable(
        self, component: str, variable: str, value: str, instance: str | None = None
    ) -> SetVariableStatus:
        """attributeStatus for SetVariables (B05.FR.02/04/05)."""
        name = _name(component, variable, instance)
        definition = VARIABLES.get(name)
        if definition is None:
            known = any(key.split(".", 1)[0] == component for key in VARIABLES)
            return "UnknownVariable" if known else "UnknownComponent"
        if definition.access is Access.READ_ONLY or not _valid(definition, value):
            return Status.REJECTED
        self._write(name, _normalized(definition, value))
        return "RebootRequired" if definition.reboot else Status.ACCEPTED

    # -- 1.6 ---------------------------------------------------------------------------------------

    def get_key(self, key: str) -> tuple[str, bool] | None:
        """(value, readonly) of a 1.6 key, or None if unknown; write-only keys are not reported."""
        if key in self.fixed_16:
            return self.fixed_16[key], True
        if key in LIMIT_KEYS_16:
            return str(self.max_limits[LIMIT_KEYS_16[key]]), True
        name = KEYS_16.get(key)
        if name is None:
            return None
        definition = VARIABLES[name]
        if definition.access is Access.WRITE_ONLY:
            return None
        return self.values[name], definition.access is Access.READ_ONLY

    def keys_16(self) -> list[str]:
        keys = [k for k in KEYS_16 if VARIABLES[KEYS_16[k]].access is not Access.WRITE_ONLY]
        return sorted([*keys, *LIMIT_KEYS_16, *self.fixed_16])

    def change_key(self, key: str, value: str) -> ConfigurationStatus:
        """ChangeConfiguration status: Accepted, Rejected, RebootRequired or NotSupported (1.6 §5.3)."""
        if key in self.fixed_16 or key in LIMIT_KEYS_16:
            return Status.REJECTED
        name = KEYS_16.get(key)
        if name is None:
            return Status.NOT_SUPPORTED
        definition = VARIABLES[name]
        if definition.access is Access.READ_ONLY or not _valid(definition, value):
            return Status.REJECTED
        if key == "AuthorizationKey":
            if not _authorization_key(value):
                return Status.REJECTED
            value = password_of_key(value)
        self._write(name, _normalized(definition, value))
        return "RebootRequired" if definition.reboot else Status.ACCEPTED

    def report(self) -> list[ReportRow]:
        """One row per variable, for B07/B08 (NotifyReport)."""
        rows = []
        for name, definition in VARIABLES.items():
            component, rest = name.split(".", 1)
            variable, _, instance = rest.partition("[")
            value = None if definition.access is Access.WRITE_ONLY else self.values[name]
            rows.append(
                ReportRow(
                    component,
                    variable,
                    instance.rstrip("]") or None,
                    definition,
                    value,
                    self.max_limits.get(name),
                )
            )
        return rows

    def _write(self, name: str, value: str) -> None:
        self.values[name] = value
        if self.on_change is not None:
            self.on_change(name, value)


def _name(component: str, variable: str, instance: str | None) -> str:
    return f"{component}.{variable}" + (f"[{instance}]" if instance else "")


def _authorization_key(value: str) -> bool:
    """1.6 security white paper: 16–20 bytes, sent as up to 40 hex digits (A00.FR.205)."""
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        return 16 <= len(value) <= 40
    return 16 <= len(raw) <= 20
