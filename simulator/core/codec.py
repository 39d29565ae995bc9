"""The seam between the station core and the OCPP versions: two small interfaces, both defined here.

`Codec` is what a version package (`simulator.protocol.v16`, `v201`, `v21`) gives the core: how a
note becomes a CALL (`action_of`, `payload_of`), how a CALLRESULT becomes an answer (`answer_of`),
how the CSMS's CALLs are answered (`answer_call`, through its table of action → function), and the
few rules in which the versions really behave differently (`VersionRules`). `StationView` is what a
codec's CALL functions see of the station: its parts to read, and neutral commands to give. The
core never imports a codec; a codec writes no connector or transaction state itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Literal, Protocol

from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from evharness.simulator.core.availability import AvailabilityStatus
from evharness.simulator.core.certificates import Certificates, DeleteOutcome, InstallOutcome, SignedResult
from evharness.simulator.core.charging_profiles import ChargingProfile, ProfileStore
from evharness.simulator.core.customers import Customer
from evharness.simulator.core.data_transfer import TransferStatus
from evharness.simulator.core.device_model import DeviceModel
from evharness.simulator.core.display_messages import DisplayMessage, SetStatus
from evharness.simulator.core.firmware import UpdateRequest, UpdateStatus
from evharness.simulator.core.local_auth import LocalList
from evharness.simulator.core.local_list import ListOutcome, ListUpdateRequest
from evharness.simulator.core.logs import LogAnswer, LogRequest
from evharness.simulator.core.model import Evse, Own, PresentedToken, StationConfig, StopReason, Use
from evharness.simulator.core.monitoring import ClearResult, MonitorRequest, SetResult
from evharness.simulator.core.notes import Answer, Note
from evharness.simulator.core.publishing import PublishAnswer, PublishRequest, UnpublishAnswer
from evharness.simulator.core.reservations import Reservation, ReserveStatus
from evharness.simulator.core.smart_charging import Criteria, ReportStatus
from evharness.simulator.core.triggers import Trigger
from evharness.x509 import HashData


class CallRefused(Exception):
    """Raised by a codec's CALL function to answer with a CALLERROR instead of a result."""

    def __init__(self, kind: ErrorKind, description: str) -> None:
        super().__init__(description)
        self.kind = kind
        self.description = description


class StartPoint(Enum):
    """When a transaction begins (2.0.1 TxCtrlr.TxStartPoint; 1.6 has one, fixed)."""

    AUTHORIZED = "Authorized"  # 1.6: StartTransaction once a token is accepted at a plugged connector
    EV_CONNECTED = "EVConnected"  # 2.0.1: TransactionEvent Started at plug-in, the token authorizes it (E02)


class EndToken(Enum):
    """The token a transaction's end reports: the one that stopped it, else the transaction's own."""

    UNLESS_DEAUTHORIZED = "unless_deauthorized"  # 1.6 StopTransaction idTag (§4.10), not on DeAuthorized
    DRIVER_STOP_ONLY = "driver_stop_only"  # 2.0.1: only when the driver ended the authorization (E07.FR.02)


class Trait(Enum):
    """A way one version's station behaves that another's does not; each codec lists its own."""

    CSMS_ASSIGNS_TRANSACTION_ID = "csms_assigns_transaction_id"  # learnt from StartTransaction's answer
    NUMBERS_TRANSACTION_MESSAGES = "numbers_transaction_messages"  # 2.0.1 seqNo (E01.FR.16)
    ENDED_REPORTED_ON_ANSWER = "ended_reported_on_answer"  # TransactionEnded once the end is answered
    REPORTS_STATION_CONNECTOR = "reports_station_connector"  # StatusNotification of connector 0 at boot
    CONNECTOR_IS_EVSE = (
        "connector_is_evse"  # one connector per connectorId: states and reports on connector 1
    )
    FINISHES_ANY_CONNECTOR = (
        "finishes_any_connector"  # a stop: connector 1 Finishing/Available from any state
    )


@dataclass(frozen=True, slots=True)
class VersionRules:
    """Where 1.6 and 2.0.1 stations behave differently (not only say it differently). Data, read by
    the core; each codec gives its own."""

    start_point: StartPoint
    end_token: EndToken  # which token the message ending a transaction carries
    default_reset_reason: str  # the stop reason of transactions a Reset ends
    traits: frozenset[Trait] = frozenset()

    def has(self, trait: Trait) -> bool:
        return trait in self.traits

    def end_token_carried(self, reason: str) -> bool:
        if self.end_token is EndToken.DRIVER_STOP_ONLY:
            return reason == StopReason.LOCAL
        return reason != StopReason.DEAUTHORIZED


@dataclass(frozen=True, slots=True)
class Outgoing:
    action: str
    transactional: bool  # kept across disconnections and journaled (1.6 §3.7, 2.0.1 E04)


UnlockOutcome = Literal["Unlocked", "UnknownConnector", "OngoingAuthorizedTransaction"]


@dataclass(frozen=True, slots=True)
class RemoteStartResult:
    status: Literal["Accepted", "Rejected"]  # RequestStartStopStatus
    transaction_id: str | None = None  # 2.0.1: the transaction already open at the EVSE (F01.FR.07)


class StationView(Protocol):
    """What a codec's CALL functions see of the station. Read the parts; change them only through
    the commands (each in its own core module: availability, local_list, remote, reset, …)."""

    @property
    def identity(self) -> str: ...
    @property
    def config(self) -> StationConfig: ...
    @property
    def device(self) -> DeviceModel: ...
    @property
    def evses(self) -> dict[int, Evse]: ...
    @property
    def local_list(self) -> LocalList: ...
    @property
    def profiles(self) -> ProfileStore: ...
    @property
    def certificates(self) -> Certificates: ...

    def after_answer(self, follow_up: Callable[[], None]) -> None: ...
    def send(self, note: Note, now: float) -> None: ...
    def reset(self, now: float, reason: str | None = None) -> Literal["Accepted"]: ...
    def reset_when_idle(self, now: float) -> Literal["Accepted", "Scheduled"]: ...
    def remote_start(
        self,
        evse_id: int | None,
        token: PresentedToken,
        profile: ChargingProfile | None,
        now: float,
        *,
        remote_start_id: int | None = None,
        open_transactions: bool = False,
    ) -> RemoteStartResult: ...
    def remote_stop(self, transaction_key: str, now: float) -> Literal["Accepted", "Rejected"]: ...
    def stop_and_unlock(self, evse_id: int, now: float) -> Literal["Unlocked", "UnknownConnector"]: ...
    def unlock_unless_charging(self, evse_id: int, connector_id: int) -> UnlockOutcome: ...
    def change_availability(
        self, evse_id: int | None, connector_id: int | None, operative: bool, now: float
    ) -> AvailabilityStatus: ...
    def update_firmware(self, request: UpdateRequest, now: float) -> UpdateStatus: ...
    def publish_firmware(self, request: PublishRequest, now: float) -> PublishAnswer: ...
    def unpublish_firmware(self, checksum: str) -> UnpublishAnswer: ...
    def get_log(self, request: LogRequest, now: float) -> tuple[LogAnswer, str | None]: ...
    def set_monitor(self, request: MonitorRequest, now: float) -> tuple[SetResult, int | None]: ...
    def clear_monitors(self, ids: list[int]) -> list[tuple[int, ClearResult]]: ...
    def set_monitoring_base(self, base: str) -> bool: ...
    def set_monitoring_level(self, severity: int) -> bool: ...
    def monitoring_report(
        self, request_id: int, criteria: list[str], names: list[str], now: float
    ) -> bool: ...
    def customer_information(
        self, request_id: int, report: bool, clear: bool, customer: Customer, now: float
    ) -> None: ...
    def update_local_list(self, request: ListUpdateRequest) -> ListOutcome: ...
    def set_charging_profile(
        self, profile: ChargingProfile, now: float
    ) -> Literal["Accepted", "Rejected"]: ...
    def clear_charging_profiles(
        self,
        profile_id: int | None,
        evse_id: int | None,
        purpose: str | None,
        stack_level: int | None,
        now: float,
    ) -> bool: ...
    def report_charging_profiles(self, request_id: int, criteria: Criteria, now: float) -> ReportStatus: ...
    def composite_schedule(
        self, evse_id: int, duration: float, now: float
    ) -> list[tuple[float, float]] | None: ...
    def clear_cache(self) -> bool: ...
    def trigger(self, trigger: Trigger, now: float) -> None: ...
    def certificate_signed(self, own: Own, chain: str, now: float) -> SignedResult: ...
    def install_certificate(self, use: Use, pem: str, now: float) -> tuple[InstallOutcome, str | None]: ...
    def delete_certificate(self, wanted: HashData) -> DeleteOutcome: ...
    def reserve(self, reservation: Reservation, now: float) -> ReserveStatus: ...
    def cancel_reservation(self, reservation_id: int, now: float) -> bool: ...
    def set_display_message(self, message: DisplayMessage, now: float) -> SetStatus: ...
    def report_display_messages(
        self, request_id: int, ids: list[int] | None, priority: str | None, state: str | None, now: float
    ) -> bool: ...
    def clear_display_message(self, message_id: int) -> bool: ...
    def data_transfer(
        self, vendor: str, message: str | None, data: object
    ) -> tuple[TransferStatus, object]: ...
    def cost_updated(self, transaction_id: str, total: Decimal, final: bool, now: float) -> bool: ...
    def messages_waiting(self, transaction_key: str | None) -> bool: ...
    def transaction_ongoing(self, transaction_key: str) -> bool: ...


class Codec(Protocol):
    """One OCPP version's translation (`simulator.protocol.v16` …)."""

    @property
    def version(self) -> OcppVersion: ...
    @property
    def rules(self) -> VersionRules: ...

    def action_of(self, note: Note) -> Outgoing | None:
        """The CALL this note becomes, or None when this version has nothing to say about it."""
        ...

    def payload_of(self, note: Note, view: StationView) -> Payload:
        """The CALL's payload, built when it goes out."""
        ...

    def answer_of(self, action: str, payload: Payload) -> Answer:
        """What the CSMS's CALLRESULT to our `action` says."""
        ...

    def answer_call(self, view: StationView, action: str, payload: Payload, now: float) -> Payload:
        """The station's answer to the CSMS's CALL; raises CallRefused for a CALLERROR."""
        ...
