"""What a station tells its driver: outcomes a scenario checks and a summary counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from evharness.ocppj.vocabulary import Action


@dataclass(frozen=True, slots=True)
class Booted:
    status: str
    at: float


@dataclass(frozen=True, slots=True)
class Authorized:
    """The CSMS's answer to a presented token (Authorize, or the start of a transaction)."""

    evse: int
    code: str
    status: str
    at: float
    source: str = Action.Authorize


@dataclass(frozen=True, slots=True)
class TransactionStarted:
    evse: int
    transaction_id: str
    at: float


@dataclass(frozen=True, slots=True)
class TransactionEnded:
    evse: int
    transaction_id: str
    energy_wh: float
    reason: str
    at: float


@dataclass(frozen=True, slots=True)
class CallFailed:
    """A CALL of ours that got a CALLERROR, an invalid CALLRESULT, or no answer in time."""

    action: str
    code: str
    description: str
    at: float


@dataclass(frozen=True, slots=True)
class PeerViolated:
    """The CSMS sent something that breaks OCPP-J."""

    description: str
    frame: str
    at: float


@dataclass(frozen=True, slots=True)
class RoundTrip:
    """One answered (or failed) CALL of ours, for latency figures; times are simulated seconds."""

    action: str
    sent_at: float
    answered_at: float
    ok: bool


@dataclass(frozen=True, slots=True)
class ReservationChanged:
    """A reservation was made, used, expired, cancelled or removed; or it kept a token out."""

    reservation_id: int
    evse: int | None  # None: any EVSE
    what: str  # Accepted, used, expired, cancelled, faulted, refused_token
    at: float


@dataclass(frozen=True, slots=True)
class DataTransferred:
    """A DataTransfer the station sent, and the CSMS's answer."""

    vendor: str
    message: str | None
    status: str
    data: object
    at: float


@dataclass(frozen=True, slots=True)
class CertificateAnswered:
    """The CSMS answered Get15118EVCertificate or GetCertificateStatus (ISO 15118, M01/M02/M06)."""

    action: str
    status: str
    data: str | None  # the EXI response / the OCSP result, base64
    at: float


@dataclass(frozen=True, slots=True)
class EvNegotiated:
    """The CSMS answered an ISO 15118 EV's NotifyEVChargingNeeds or NotifyEVChargingSchedule (K15–K17)."""

    evse_id: int
    action: str
    status: str
    at: float


@dataclass(frozen=True, slots=True)
class LimitChanged:
    """Smart charging changed what an EVSE may draw (0: the station): a profile set or cleared, an
    external limit set or released, an EV's schedule; `limit_w` is the EVSE's limit then (None:
    unlimited)."""

    evse_id: int
    what: str  # profile_set, profiles_cleared, external_limit, external_released, ev_schedule
    limit_w: float | None
    at: float


@dataclass(frozen=True, slots=True)
class CostReceived:
    """The CSMS told the station a transaction's cost and the station took it (`core.cost`)."""

    transaction_id: str
    state: str  # running, final, fallback (ended without a final cost)
    total: Decimal | None
    currency: str
    shown: str  # what the driver reads
    at: float


StationEvent = (
    Booted
    | Authorized
    | TransactionStarted
    | TransactionEnded
    | CallFailed
    | PeerViolated
    | ReservationChanged
    | DataTransferred
    | CertificateAnswered
    | EvNegotiated
    | LimitChanged
    | CostReceived
)
