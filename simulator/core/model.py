"""The station's parts as plain state: EVSEs, connectors, transactions, and what it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum

from evharness.idtokens import IdType
from evharness.simulator.core.data_transfer import DEFAULT_TABLE, VendorEntry
from evharness.simulator.core.ev import EvSpec, EvState
from evharness.simulator.core.meter import Meter
from evharness.simulator.core.outcomes import FirmwareOutcome, LogOutcome


class ConnectorState(Enum):
    """The station's own view; adapters map it onto each version's status enum."""

    AVAILABLE = "available"
    OCCUPIED = "occupied"  # cable plugged, not charging (1.6 Preparing / SuspendedEV)
    CHARGING = "charging"
    FINISHING = "finishing"
    UNAVAILABLE = "unavailable"
    FAULTED = "faulted"
    RESERVED = "reserved"  # free, held for a reservation (`core.reservations`)


class StopReason(StrEnum):
    """Why a transaction ended, in the station's words (1.6 Reason; a 2.0.1 codec maps each to its
    triggerReason and stoppedReason). Drivers may pass other words; a codec maps those to Other."""

    LOCAL = "Local"
    EV_DISCONNECTED = "EVDisconnected"
    REMOTE = "Remote"
    DEAUTHORIZED = "DeAuthorized"
    HARD_RESET = "HardReset"
    SOFT_RESET = "SoftReset"
    IMMEDIATE_RESET = "ImmediateReset"
    UNLOCK_COMMAND = "UnlockCommand"
    POWER_LOSS = "PowerLoss"  # a restarted station ends what ran when it lost power (journal)
    OTHER = "Other"


class Use(StrEnum):
    """What an installed certificate is for (2.0.1 GetCertificateIdUseEnumType, neutral words)."""

    CSMS_ROOT = "csms_root"  # 2.0.1 CSMSRootCertificate, 1.6 CentralSystemRootCertificate
    MANUFACTURER_ROOT = "manufacturer_root"
    V2G_ROOT = "v2g_root"
    MO_ROOT = "mo_root"
    V2G_CHAIN = "v2g_chain"  # the station's own V2G certificate and its sub-CAs (reported, not installed)


class Own(StrEnum):
    """The station's own certificates, which it asks the CSMS to sign (CertificateSigningUseEnumType)."""

    STATION = "station"  # ChargingStationCertificate (1.6 ChargePointCertificate)
    V2G = "v2g"  # V2GCertificate


@dataclass(frozen=True, slots=True)
class PresentedToken:
    id_type: IdType
    code: str


@dataclass(slots=True)
class Transaction:
    local_id: str  # 2.0.1 transactionId, chosen by the station
    started_at: float
    meter_start_wh: float
    meter_stop_wh: float | None = None
    token: PresentedToken | None = None
    stop_token: PresentedToken | None = None  # the token that ended the authorization (E07.FR.02)
    csms_id: int | None = None  # 1.6 transactionId, chosen by the CSMS
    seq_no: int = 0  # 2.0.1 TransactionEvent sequence number
    authorized: bool = False
    refused: bool = False  # the CSMS refused its token and it runs on without energy (SUSPENDED)
    ended: bool = False
    remote_start_id: int | None = None
    reservation_id: int | None = None  # the reservation its token used (1.6 StartTransaction, H03)
    energy_cap_wh: float | None = (
        None  # register limit once the CSMS refused the token (MaxEnergyOnInvalidId)
    )

    @property
    def key(self) -> str:
        """The id charging profiles and the CSMS use: the CSMS's on 1.6, the station's on 2.0.1."""
        return str(self.csms_id) if self.csms_id is not None else self.local_id

    def next_seq_no(self) -> int:
        number = self.seq_no
        self.seq_no += 1
        return number


@dataclass(slots=True)
class Connector:
    id: int
    state: ConnectorState = ConnectorState.AVAILABLE
    plugged: bool = False


@dataclass(slots=True)
class Evse:
    id: int
    connectors: dict[int, Connector]
    max_power_w: float
    meter: Meter = field(default_factory=Meter)
    transaction: Transaction | None = None
    next_meter_value_at: float | None = None
    ev: EvState | None = None  # the EV plugged in, if the station models one
    ev_request_w: float = 0.0  # what the EV asks for; the station delivers less if limited
    ev_limit_wh: float | None = None  # the EV stops drawing when the register reaches this
    next_power_review_at: float | None = None  # taper or charging-profile change ahead
    authorized_token: PresentedToken | None = None  # accepted before the cable was plugged in
    authorized_until: float | None = None  # ... valid for TxCtrlr.EVConnectionTimeOut (E03.FR.05)
    remote_start_id: int | None = None  # 2.0.1 RequestStartTransaction's id, for the next event
    reservation_id: int | None = None  # the reservation the accepted token used, for its transaction
    operative: bool = True
    availability_scheduled: bool | None = None  # ChangeAvailability waiting for the transaction to end

    @property
    def plugged(self) -> bool:
        return any(c.plugged for c in self.connectors.values())


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """What the station keeps about one customer besides its tokens' entries (N09): found by the
    customer identifier, or by the serial number of the customer's contract certificate."""

    identifier: str  # CustomerInformation customerIdentifier (CiString64)
    certificate_serial: str | None = None  # customerCertificate.serialNumber (hex), e.g. of an eMAID's
    tokens: tuple[str, ...] = ()  # the customer's idTokens: their local-list, cache, transaction data too
    data: str = ""  # anything else the station holds, as it is reported


@dataclass(frozen=True, slots=True)
class StationConfig:
    vendor: str = "evharness"
    model: str = "SimStation"
    serial_number: str = ""
    firmware_version: str = "0.1.0"
    evses: int = 1
    connectors_per_evse: int = 1
    max_power_w: float = 11_000.0
    meter_interval_s: float = 60.0
    call_timeout_s: float = 30.0
    retry_boot_after_s: float = 30.0
    phases: int = 3
    max_current_a: float | None = None  # per phase; caps the delivered power with the profiles
    ev: EvSpec | None = None  # None: the EV takes whatever it asks for
    variables: tuple[tuple[str, str], ...] = ()  # device model / 1.6 key overrides (templates)
    power_review_s: float = 60.0  # how often a tapering EV's power is re-evaluated
    firmware: FirmwareOutcome = field(default_factory=FirmwareOutcome)  # a tester's choices
    logs: LogOutcome = field(default_factory=LogOutcome)  # how log uploads go
    connector_type: str = "cType2"  # every connector's (2.0.1 ConnectorEnumType), for reservations
    data_transfer: tuple[VendorEntry, ...] = DEFAULT_TABLE  # the vendors DataTransfer answers
    customers: tuple[CustomerRecord, ...] = ()  # known by identifier / certificate (N09/N10)
