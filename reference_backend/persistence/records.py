"""What the store hands out and takes in: small frozen records, no SQL types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from evharness.idtokens import IdType
from evharness.reference_backend.domain.authorization import Identification
from evharness.reference_backend.domain.metering import Register


@dataclass(frozen=True, slots=True)
class BootInfo:
    vendor: str
    model: str
    serial_number: str | None = None
    firmware_version: str | None = None
    reason: str | None = None  # 2.0.1 BootReasonEnumType


@dataclass(frozen=True, slots=True)
class StationRecord:
    id: int
    identity: str
    protocol: str | None
    vendor: str | None
    model: str | None
    serial_number: str | None
    firmware_version: str | None
    registered_at: datetime
    booted_at: datetime | None
    last_heartbeat_at: datetime | None
    status: str | None
    enabled_types: frozenset[IdType]


@dataclass(frozen=True, slots=True)
class TokenLookup:
    """The facts about a presented code that only the database knows."""

    enabled_types: frozenset[IdType]
    identification: Identification | None
    identification_id: int | None
    group_id: str | None = None  # groupIdToken / parentIdTag of the identification


@dataclass(frozen=True, slots=True)
class TransactionRecord:
    id: int  # the 1.6 transactionId
    transaction_ref: str | None  # the 2.0.1 transactionId
    station_id: int
    evse_id: int | None
    connector_id: int | None
    id_token: str | None
    id_token_type: str | None
    id_token_status: str | None
    identification_id: int | None
    meter_start_wh: float | None  # what the station gave as the start (meterStart, the Started register)
    meter_last_wh: float | None  # the latest register reading by time, as sent
    meter_stop_wh: float | None
    started_at: datetime | None
    stopped_at: datetime | None
    stop_reason: str | None
    state: str
    meter_last_at: datetime | None = None
    ended_by: str | None = None  # "station", or "csms" for one it ended (`domain.transactions`)
    end_note: str | None = None  # why the CSMS ended it
    energy_problem: str | None = None  # why the readings do not add up (`domain.metering`)

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def accepts_stop(self) -> bool:
        """Running, or ended by the CSMS: a station's Stop / Ended for it is recorded."""
        return self.running or self.ended_by == "csms"

    @property
    def last_register(self) -> Register | None:
        if self.meter_last_wh is None or self.meter_last_at is None:
            return None
        return Register(self.meter_last_at, self.meter_last_wh)

    @property
    def energy_wh(self) -> float | None:
        """Energy delivered so far (or in all, once stopped), from the meter register; None when it is
        unknown or the readings do not add up (`energy_problem` says why): never a made-up figure."""
        end = self.meter_stop_wh if self.meter_stop_wh is not None else self.meter_last_wh
        if end is None or self.meter_start_wh is None or self.energy_problem is not None:
            return None
        return end - self.meter_start_wh


@dataclass(frozen=True, slots=True)
class MeterValueRecord:
    timestamp: datetime
    measurand: str
    value: float
    unit: str | None
    phase: str | None
    context: str
    location: str | None
    evse_id: int | None


@dataclass(frozen=True, slots=True)
class ProvisionedIdentification:
    """One local user with one identification, as `evharness seed` wants it on a station."""

    type: IdType
    code: str
    first_name: str
    last_name: str
    blocked: bool = False
    active: bool = True
    expires_at: datetime | None = None
    group_id: str | None = None


@dataclass(frozen=True, slots=True)
class ProvisionCounts:
    users_created: int = 0
    identifications_created: int = 0
    identifications_updated: int = 0
    identifications_removed: int = 0


@dataclass(frozen=True, slots=True)
class TokenUse:
    """The token a transaction was started with, and what the CSMS answered for it."""

    id_token: str
    id_token_type: str
    status: str
    identification_id: int | None
