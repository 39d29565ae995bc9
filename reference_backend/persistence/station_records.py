"""What the station access store hands out: frozen records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StationRow:
    id: int
    identity: str
    protocol: str | None
    serial_number: str | None
    booted_at: datetime | None
    claim_code_hash: str | None
    partner_company_id: int | None
    installation_id: int | None
    added_by_company_id: int | None


@dataclass(frozen=True)
class GrantRecord:
    id: int
    role: str
    company_id: int | None
    user_id: int | None
    email: str | None
    granted_by: int | None
    granted_at: datetime
    reason: str


@dataclass(frozen=True)
class SettingRecord:
    name: str
    desired: str
    reported: str | None
    push_status: str
    push_detail: str | None
    changed_at: datetime
    pushed_at: datetime | None


@dataclass(frozen=True)
class AuditRecord:
    id: int
    actor_id: int | None  # None: the backend itself (a push when the station connected)
    actor_email: str | None
    kind: str
    subject: str
    old: str | None
    new: str | None
    reason: str | None
    at: datetime


@dataclass(frozen=True)
class ConnectorRecord:
    evse_id: int
    connector_id: int
    status: str


@dataclass(frozen=True)
class MeterSample:
    timestamp: datetime
    evse_id: int | None
    measurand: str
    phase: str | None
    unit: str | None
    value: float


@dataclass(frozen=True)
class IdentificationRecord:
    """A PIN code or RFID card of a local user, as stored (the code in clear: mask it to show it)."""

    id: int
    local_user_id: int
    type: str
    code: str
    status: str
    expires_at: datetime | None


@dataclass(frozen=True)
class TokenRecord:
    """A token provisioned for a station (Central, eMAID, MacAddress, Local, EVCCID)."""

    id: int
    type: str
    code: str
    status: str
    expires_at: datetime | None
    group_id: str | None


@dataclass(frozen=True)
class LocalUserRecord:
    id: int
    first_name: str
    last_name: str
    blocked: bool
    identifications: tuple[IdentificationRecord, ...]
