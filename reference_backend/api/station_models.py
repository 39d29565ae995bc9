"""Bodies of the station routes (pydantic); answers are built from the records' attributes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from evharness.ocppj import vocabulary
from evharness.reference_backend.api.local_user_models import Body, Expiry, PersonName
from evharness.reference_backend.domain.local_users import Status

Identity = Annotated[str, Field(min_length=1, max_length=48, examples=["CP-0001"])]
ClaimCode = Annotated[str, Field(min_length=1, max_length=64, examples=["K7X2-9QPA"])]


class Record(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class RegisterBody(BaseModel):
    identity: Identity
    claim_code: ClaimCode
    partner_company_id: Annotated[int, Field(ge=1, le=2**31 - 1)]


class ClaimBody(BaseModel):
    identity: Identity
    claim_code: ClaimCode


class InstallationBody(BaseModel):
    company_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    name: Annotated[str, Field(min_length=1, max_length=200, examples=["Garage"])]


class HandoverBody(BaseModel):
    email: Annotated[str, Field(min_length=1, max_length=254, examples=["eve@example.com"])]


class HandoverSignUpBody(BaseModel):
    token: Annotated[str, Field(min_length=1, max_length=200)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    password: Annotated[str, Field(min_length=1, max_length=256)]


class CpoBody(BaseModel):
    company_id: Annotated[int, Field(ge=1, le=2**31 - 1)]


class CardBody(Body):
    uid: Annotated[str, Field(min_length=1, max_length=64, examples=["04A1B2C3"])]
    first_name: PersonName
    last_name: PersonName
    status: Status = "active"
    expires_at: Expiry = None


class PinBody(Body):
    code: Annotated[str, Field(min_length=1, max_length=16, examples=["#1234"])]
    first_name: PersonName
    last_name: PersonName
    status: Status = "active"
    expires_at: Expiry = None


class OperationBody(BaseModel):
    evse: Annotated[int, Field(ge=1, le=100)] = 1
    connector: Annotated[int, Field(ge=1, le=100)] = 1
    id_tag: Annotated[str | None, Field(max_length=64)] = None
    transaction_id: Annotated[str | None, Field(max_length=64)] = None
    type: Annotated[str, Field(max_length=8)] = "soft"
    operative: bool = True
    message: Annotated[str, Field(max_length=32)] = vocabulary.Action.StatusNotification
    # reserve, cancel-reservation (docs/reservations.md)
    reservation_id: Annotated[int | None, Field(ge=1, le=2**31 - 1)] = None
    expires_in: Annotated[int, Field(ge=60, le=7 * 86400)] = 3600
    any_evse: bool = False
    group: Annotated[str | None, Field(max_length=36)] = None
    # set-, get-, clear-display-message(s)
    message_id: Annotated[int | None, Field(ge=0, le=2**31 - 1)] = None
    content: Annotated[str | None, Field(max_length=512)] = None
    priority: Annotated[str, Field(max_length=16)] = "NormalCycle"
    language: Annotated[str | None, Field(max_length=8)] = None
    format: Annotated[str, Field(max_length=8)] = "UTF8"
    state: Annotated[str | None, Field(max_length=16)] = None
    # data-transfer
    vendor_id: Annotated[str | None, Field(max_length=255)] = None
    data_message_id: Annotated[str | None, Field(max_length=50)] = None
    data: Annotated[str | None, Field(max_length=4096)] = None
    certificate_type: Annotated[str | None, Field(max_length=32, examples=["CSMSRootCertificate"])] = None
    certificate: Annotated[str | None, Field(max_length=5500)] = None  # PEM
    certificate_hash: dict[str, Annotated[str, Field(max_length=128)]] | None = None
    which: Annotated[str, Field(max_length=16)] = "station"  # renew-certificate: station | v2g | combined
    location: Annotated[str | None, Field(max_length=512, examples=["https://files.example/fw-2.0.bin"])] = (
        None
    )
    retrieve_at: Annotated[str | None, Field(max_length=40, examples=["2026-01-01T00:00:00Z"])] = None
    install_at: Annotated[str | None, Field(max_length=40)] = None
    retries: Annotated[int | None, Field(ge=0, le=100)] = None
    retry_interval: Annotated[int | None, Field(ge=0, le=86_400)] = None
    signing_certificate: Annotated[str | None, Field(max_length=5500)] = None  # PEM
    signature: Annotated[str | None, Field(max_length=800)] = None  # base64
    log_type: Annotated[str, Field(max_length=16)] = "diagnostics"  # get-log: diagnostics | security
    request_id: Annotated[int | None, Field(ge=0, le=2**31 - 1)] = None
    customer_identifier: Annotated[str | None, Field(max_length=64)] = None
    report: bool = True
    clear: bool = False
    monitoring_base: Annotated[str, Field(max_length=16)] = "All"
    severity: Annotated[int | None, Field(ge=0, le=9)] = None
    monitors: Annotated[list[dict[str, Any]], Field(max_length=50)] = []  # SetMonitoringData items
    monitor_ids: Annotated[list[int], Field(max_length=100)] = []


SettingsBody = dict[str, Any]


class Connector(Record):
    evse_id: int
    connector_id: int
    status: str


class Station(Record):
    identity: str
    protocol: str | None
    online: bool
    installation_id: int | None
    partner_company_id: int | None
    connectors: list[Connector]
    your_roles: list[str]


class Setting(Record):
    name: str
    what: str
    desired: str | None
    reported: str | None
    push_status: str | None
    push_detail: str | None


class Reservation(Record):
    reservation_id: int
    evse_id: int | None
    connector_type: str | None
    id_token: str
    group_id: str | None
    expires_at: datetime
    state: str  # requested, active, refused, used, expired, removed, cancelled
    answer: str | None  # the station's ReserveNow status
    updated_at: datetime


class DisplayMessage(Record):
    message_id: int
    priority: str
    content: str
    format: str
    language: str | None
    state: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    transaction_ref: str | None
    source: str  # set (by the CSMS) or reported (by the station)


class Push(Record):
    name: str
    value: str
    status: str
    detail: str | None


class Grant(Record):
    id: int
    role: str
    company_id: int | None
    user_id: int | None
    email: str | None
    granted_by: int | None
    granted_at: datetime
    reason: str


class AuditEntry(Record):
    id: int
    actor_id: int | None
    actor_email: str | None
    kind: str
    subject: str
    old: str | None
    new: str | None
    reason: str | None
    at: datetime


class MeterSample(Record):
    timestamp: datetime
    evse_id: int | None
    measurand: str
    phase: str | None
    unit: str | None
    value: float


class Invitation(Record):
    identity: str
    email: str
    sign_up: str


class Outcome(Record):
    status: str
    detail: str | None
    payload: dict[str, Any] | None


class Card(BaseModel):
    """The identification added (`id`) and the local user created for it."""

    id: int
    local_user_id: int
