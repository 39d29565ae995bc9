"""What the station says and hears, in its own words: typed notes, not payloads.

A note is the fact behind one outgoing message, captured when the station decides to send it (the
time, the meter reading, the sequence number, whether it was offline); a codec
(`simulator.protocol.v16`, `v201`) turns it into the action and payload of its OCPP version when
the message goes out — so a 1.6 StopTransaction queued before its StartTransaction was answered
still gets the transactionId the CSMS chose. An answer is what a codec read from the CSMS's
CALLRESULT, in the same neutral words. The queued CALL keeps its note, so the station knows what an
answer is about without any context tuple.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Literal

from evharness.ocppj.frames import Payload
from evharness.simulator.core.charging_profiles import ChargingProfile
from evharness.simulator.core.display_messages import DisplayMessage
from evharness.simulator.core.ev_negotiation import EvSchedule, Needs
from evharness.simulator.core.inventory import Selection
from evharness.simulator.core.local_auth import TokenInfo
from evharness.simulator.core.model import ConnectorState, Own, PresentedToken, Transaction
from evharness.simulator.core.smart_charging import ReportPage
from evharness.x509 import HashData


class ReadingContext(StrEnum):
    """Why a meter sample was taken (the same words in 1.6 ReadingContext and 2.0.1)."""

    PERIODIC = "Sample.Periodic"
    BEGIN = "Transaction.Begin"
    END = "Transaction.End"
    TRIGGER = "Trigger"
    OTHER = "Other"  # the charging rate changed (2.0.1 ChargingRateChanged)


Measurand = Literal[
    "Energy.Active.Import.Register", "Power.Active.Import", "Current.Import", "Voltage", "SoC"
]
Unit = Literal["Wh", "W", "A", "V", "Percent"]
Phase = Literal["L1", "L2", "L3", "L1-N", "L2-N", "L3-N"]


@dataclass(frozen=True, slots=True)
class Reading:
    """One sampled value; the words are those 1.6 and 2.0.1 share (so each codec's types take them)."""

    measurand: Measurand
    value: float
    unit: Unit
    phase: Phase | None = None
    location: Literal["EV"] | None = None


@dataclass(frozen=True, slots=True)
class Sample:
    """One meter sample of an EVSE: the register first (CSMSs read it from there)."""

    at: float
    context: ReadingContext
    readings: tuple[Reading, ...]


class BootReason(StrEnum):
    POWER_UP = "PowerUp"
    REMOTE_RESET = "RemoteReset"
    FIRMWARE_UPDATE = "FirmwareUpdate"


@dataclass(frozen=True, slots=True)
class BootNote:
    reason: BootReason


@dataclass(frozen=True, slots=True)
class HeartbeatNote:
    pass


@dataclass(frozen=True, slots=True)
class StatusNote:
    """A connector's state (evse 0, connector 0: the whole station, 1.6 only)."""

    evse_id: int
    connector_id: int
    state: ConnectorState
    at: float
    previous: ConnectorState | None = None  # None: a report (after boot, triggered), not a change


@dataclass(frozen=True, slots=True)
class AuthorizeNote:
    evse_id: int
    token: PresentedToken


class TxMoment(Enum):
    """Which moment of a transaction a message reports."""

    STARTED = "started"  # 1.6 StartTransaction (with the token) / 2.0.1 TransactionEvent Started
    AUTHORIZED = "authorized"  # 2.0.1 TransactionEvent Updated: the token of an open transaction
    METER = "meter"  # 1.6 MeterValues / 2.0.1 TransactionEvent Updated MeterValuePeriodic
    TRIGGERED = "triggered"  # 2.0.1 TransactionEvent Updated Trigger (F06)
    RATE_CHANGED = "rate_changed"  # 2.0.1 TransactionEvent Updated ChargingRateChanged (K12)
    ENDED = "ended"  # 1.6 StopTransaction / 2.0.1 TransactionEvent Ended


@dataclass(frozen=True, slots=True)
class TransactionNote:
    moment: TxMoment
    evse_id: int
    transaction: Transaction  # read again when the message goes out: the CSMS's id may be known by then
    at: float
    sample: Sample | None = None
    token: PresentedToken | None = None  # the token this message carries (its answer is cached)
    connector_id: int = 1
    seq_no: int = 0  # 2.0.1 E01.FR.16
    offline: bool = False  # happened while offline (E04.FR.03)
    reason: str = ""  # ENDED: the stop reason (`StopReason`)
    remote_start_id: int | None = None  # AUTHORIZED after RequestStartTransaction (F01.FR.25)
    reservation_id: int | None = None  # the reservation its token used (H03.FR.09, 1.6 §5.13)
    meter_stop_wh: float = 0.0  # ENDED: the register at the end
    cable_plugged: bool = True  # a cable in any connector of the EVSE when it happened

    @property
    def decides(self) -> bool:
        """Whether the CSMS's answer to this message decides the transaction's token (1.6 §5.20,
        2.0.1 E01.FR.11): the message that first carries it."""
        return self.token is not None and self.moment in (TxMoment.STARTED, TxMoment.AUTHORIZED)


class FirmwareStatus(StrEnum):
    """A firmware update's progress (2.0.1 FirmwareStatusEnumType; the 1.6 codec maps the words 1.6 has)."""

    IDLE = "Idle"
    DOWNLOAD_SCHEDULED = "DownloadScheduled"
    DOWNLOADING = "Downloading"
    DOWNLOADED = "Downloaded"
    DOWNLOAD_FAILED = "DownloadFailed"
    SIGNATURE_VERIFIED = "SignatureVerified"
    INVALID_SIGNATURE = "InvalidSignature"
    INSTALL_SCHEDULED = "InstallScheduled"
    INSTALLING = "Installing"
    INSTALL_REBOOTING = "InstallRebooting"
    INSTALLED = "Installed"
    INSTALLATION_FAILED = "InstallationFailed"
    INSTALL_VERIFICATION_FAILED = "InstallVerificationFailed"


@dataclass(frozen=True, slots=True)
class PublishStatusNote:
    """2.0.1 PublishFirmwareStatusNotification (L05): a status of the publishing, and where the
    published file is once it is (Published)."""

    status: str  # PublishFirmwareStatusEnumType
    request_id: int
    locations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FirmwareStatusNote:
    """FirmwareStatusNotification (L01, 1.6 §4.5); `secure`: of a 1.6 SignedUpdateFirmware, sent as
    SignedFirmwareStatusNotification."""

    status: FirmwareStatus
    request_id: int | None = None
    secure: bool = False


class LogStatus(StrEnum):
    """A log upload's progress (2.0.1 UploadLogStatusEnumType; 1.6 DiagnosticsStatus maps onto it)."""

    IDLE = "Idle"
    UPLOADING = "Uploading"
    UPLOADED = "Uploaded"
    UPLOAD_FAILURE = "UploadFailure"
    BAD_MESSAGE = "BadMessage"
    NOT_SUPPORTED_OPERATION = "NotSupportedOperation"
    PERMISSION_DENIED = "PermissionDenied"
    ACCEPTED_CANCELED = "AcceptedCanceled"


@dataclass(frozen=True, slots=True)
class LogStatusNote:
    """LogStatusNotification (N01); `diagnostics`: of a 1.6 GetDiagnostics, sent as
    DiagnosticsStatusNotification."""

    status: LogStatus
    request_id: int | None = None
    diagnostics: bool = False


@dataclass(frozen=True, slots=True)
class MonitoredEvent:
    """One event of a monitor (N07/N08): what triggered it, the value, whether a threshold cleared."""

    event_id: int
    at: float
    trigger: str  # Alerting | Delta | Periodic
    actual_value: str
    component: str
    variable: str
    monitor_id: int
    severity: int
    cleared: bool = False
    origin: str = "CustomMonitor"  # HardWiredMonitor for the station's own (`core.monitoring.HARD_WIRED`)


@dataclass(frozen=True, slots=True)
class EventNote:
    """2.0.1 NotifyEvent (N07): events of the station's monitors."""

    events: tuple[MonitoredEvent, ...]
    at: float


@dataclass(frozen=True, slots=True)
class MonitoringReportNote:
    """2.0.1 NotifyMonitoringReport (N02): (id, "Component.Variable", type, value, severity) each."""

    request_id: int
    monitors: tuple[tuple[int, str, str, float, int], ...]
    at: float


@dataclass(frozen=True, slots=True)
class CustomerDataNote:
    """2.0.1 NotifyCustomerInformation (N09/N10): what the station holds about a customer."""

    request_id: int
    data: str
    at: float


@dataclass(frozen=True, slots=True)
class ReportNote:
    """2.0.1 NotifyReport (B07): one page of a report of the device model (`core.inventory`): rows
    `first` … `first + count - 1` of `base`, the page's seqNo, and whether more follow (tbc)."""

    request_id: int
    at: float
    base: str = "FullInventory"
    first: int = 0
    count: int | None = None  # None: every row
    seq_no: int = 0
    tbc: bool = False
    selection: Selection | None = None  # GetReport (B08): only these rows of the full report


class SecurityEvent(StrEnum):
    """Security events (2.0.1 Part 2 Appendix 1, 1.6 security white paper §Security events): the
    2.0.1 words; the 1.6 codec says a few of them its way (`InvalidChargePointCertificate` …)."""

    FIRMWARE_UPDATED = "FirmwareUpdated"
    FAILED_TO_AUTHENTICATE_AT_CSMS = "FailedToAuthenticateAtCsms"
    CSMS_FAILED_TO_AUTHENTICATE = "CsmsFailedToAuthenticate"
    SETTING_SYSTEM_TIME = "SettingSystemTime"
    STARTUP_OF_THE_DEVICE = "StartupOfTheDevice"
    RESET_OR_REBOOT = "ResetOrReboot"
    SECURITY_LOG_WAS_CLEARED = "SecurityLogWasCleared"
    RECONFIGURATION_OF_SECURITY_PARAMETERS = "ReconfigurationOfSecurityParameters"
    MEMORY_EXHAUSTION = "MemoryExhaustion"
    INVALID_MESSAGES = "InvalidMessages"
    ATTEMPTED_REPLAY_ATTACKS = "AttemptedReplayAttacks"
    TAMPER_DETECTION_ACTIVATED = "TamperDetectionActivated"
    INVALID_FIRMWARE_SIGNATURE = "InvalidFirmwareSignature"
    INVALID_FIRMWARE_SIGNING_CERTIFICATE = "InvalidFirmwareSigningCertificate"
    INVALID_CSMS_CERTIFICATE = "InvalidCsmsCertificate"
    INVALID_CHARGING_STATION_CERTIFICATE = "InvalidChargingStationCertificate"
    INVALID_TLS_VERSION = "InvalidTLSVersion"
    INVALID_TLS_CIPHER_SUITE = "InvalidTLSCipherSuite"


@dataclass(frozen=True, slots=True)
class SecurityEventNote:
    """SecurityEventNotification (A04, 1.6 white paper): what happened, when, and the detail."""

    event: SecurityEvent
    at: float
    tech_info: str | None = None


@dataclass(frozen=True, slots=True)
class EvCertificateNote:
    """Get15118EVCertificate (M01/M02) on behalf of the EV: its EXI request, opaque base64."""

    action: Literal["Install", "Update"]
    exi_request: str
    schema_version: str = "urn:iso:15118:2:2013:MsgDef"


@dataclass(frozen=True, slots=True)
class CertificateStatusNote:
    """GetCertificateStatus (M06): the OCSP status of one of the station's certificates."""

    hashed: HashData
    responder_url: str


@dataclass(frozen=True, slots=True)
class SignCertificateNote:
    """SignCertificate (A02/A03): a CSR for one of the station's own certificates."""

    own: Own
    csr: str


@dataclass(frozen=True, slots=True)
class ReservationNote:
    """2.0.1 ReservationStatusUpdate (H04.FR.02): a reservation ended other than by its use."""

    reservation_id: int
    status: str  # Expired, Removed


@dataclass(frozen=True, slots=True)
class DisplayMessagesNote:
    """2.0.1 NotifyDisplayMessages (O04): the messages a GetDisplayMessages asked for."""

    request_id: int
    messages: tuple[DisplayMessage, ...]


@dataclass(frozen=True, slots=True)
class ChargingProfilesNote:
    """2.0.1 ReportChargingProfiles (K09): one page of what a GetChargingProfiles asked for."""

    page: ReportPage


@dataclass(frozen=True, slots=True)
class ChargingLimitNote:
    """2.0.1 NotifyChargingLimit (K12): an external limit was set or changed on `evse_id` (0: the
    station); `profile` is its schedule, when the station sends schedules with it."""

    evse_id: int
    source: str
    grid_critical: bool
    profile: ChargingProfile | None


@dataclass(frozen=True, slots=True)
class ClearedLimitNote:
    """2.0.1 ClearedChargingLimit (K13): the external limit of `source` on `evse_id` was released."""

    evse_id: int
    source: str


@dataclass(frozen=True, slots=True)
class EvNeedsNote:
    """2.0.1 NotifyEVChargingNeeds (K15/K17): what an ISO 15118 EV needs."""

    needs: Needs


@dataclass(frozen=True, slots=True)
class EvScheduleNote:
    """2.0.1 NotifyEVChargingSchedule (K15–K17): the schedule the EV chose."""

    schedule: EvSchedule


@dataclass(frozen=True, slots=True)
class DataTransferNote:
    """DataTransfer from the station (P02, 1.6 §4.3); the answer is a `DataTransferAnswer`."""

    vendor: str
    message: str | None = None
    data: object = None


@dataclass(frozen=True, slots=True)
class Ended:
    """What the station metered in a transaction whose end it reports once the CSMS answered (1.6)."""

    evse_id: int
    energy_wh: float
    reason: str


@dataclass(frozen=True, slots=True)
class RestoredNote:
    """A message an earlier run left in the journal, sent again as it was written (`core.journal`)."""

    action: str
    payload: Payload
    link: str | None  # the transaction it belongs to (its local id), if any
    needs_id: bool  # a 1.6 message waiting for the transactionId its restored StartTransaction gets
    ended: Ended | None = None  # the end of a transaction, reported once this message is answered


Note = (
    BootNote
    | HeartbeatNote
    | StatusNote
    | AuthorizeNote
    | TransactionNote
    | FirmwareStatusNote
    | PublishStatusNote
    | LogStatusNote
    | EventNote
    | MonitoringReportNote
    | CustomerDataNote
    | ReportNote
    | SecurityEventNote
    | SignCertificateNote
    | EvCertificateNote
    | CertificateStatusNote
    | RestoredNote
    | ReservationNote
    | DisplayMessagesNote
    | DataTransferNote
    | ChargingProfilesNote
    | ChargingLimitNote
    | ClearedLimitNote
    | EvNeedsNote
    | EvScheduleNote
)


# -- answers: what a codec read from a CALLRESULT ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class BootAnswer:
    status: str  # RegistrationStatus
    interval: float


@dataclass(frozen=True, slots=True)
class TokenAnswer:
    """An answer carrying a token's status: Authorize, and the messages of a transaction (whose
    CSMS id comes with it on 1.6 StartTransaction). `info` None: the answer said nothing of it."""

    info: TokenInfo | None
    transaction_id: int | None = None
    total_cost: Decimal | None = None  # 2.0.1 I03: the final cost, in the Ended event's answer


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    """An answer that is only a status (SignCertificate: Accepted or Rejected)."""

    status: str


@dataclass(frozen=True, slots=True)
class DataTransferAnswer:
    status: str
    data: object = None


@dataclass(frozen=True, slots=True)
class CertificateAnswer:
    """Get15118EVCertificate's or GetCertificateStatus's answer: the status and what came with it
    (the EXI response, the OCSP result), opaque base64."""

    status: str
    data: str | None


Answer = BootAnswer | TokenAnswer | StatusAnswer | DataTransferAnswer | CertificateAnswer | None
