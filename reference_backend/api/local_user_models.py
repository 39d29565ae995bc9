"""Bodies and answers of the local-user routes (seed 001).

Bodies refuse unknown fields (a typo must not be silently ignored) and naive datetimes (422 naming the
field); the rules behind them are `domain.local_users`. A PIN is shown only masked (`#****`): the
answers are built by `of`, which masks, never straight from the stored code.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from evharness.idtokens import IdType
from evharness.redaction import mask
from evharness.reference_backend.console.local_users import NewIdentification
from evharness.reference_backend.domain.local_users import Status, check_status
from evharness.reference_backend.persistence.station_records import IdentificationRecord, LocalUserRecord

PersonName = Annotated[str, Field(min_length=1, max_length=200, examples=["Ada"])]
Code = Annotated[str, Field(min_length=1, max_length=64, examples=["#1234", "04A1B2C3"])]
Expiry = Annotated[
    AwareDatetime | None, Field(description="ISO 8601 with a UTC offset; null: no expiry", examples=[None])
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocalUserBody(Body):
    first_name: PersonName
    last_name: PersonName
    blocked: bool = False


class LocalUserChange(Body):
    """Only the fields given change."""

    first_name: PersonName | None = None
    last_name: PersonName | None = None
    blocked: bool | None = None


class IdentificationBody(Body):
    type: IdType
    code: Code
    status: Status = "active"
    expires_at: Expiry = None

    def new(self) -> NewIdentification:
        return NewIdentification(self.type, self.code, self.status, self.expires_at)


class IdentificationChange(Body):
    """Only the fields given change. A PIN's code may change (seed 001: the owner may view and edit a
    PIN code), checked as a new PIN and never shown afterwards; a card's UID may not."""

    code: Code | None = None
    status: Status | None = None
    expires_at: Expiry = None


class IdentificationView(BaseModel):
    id: int
    type: IdType
    code: str = Field(description="an RFID UID in upper-case hex; a PIN always as `#****`")
    status: Status
    expires_at: AwareDatetime | None

    @classmethod
    def of(cls, record: IdentificationRecord) -> IdentificationView:
        id_type = IdType(record.type)
        return cls(
            id=record.id,
            type=id_type,
            code=mask(id_type, record.code),
            status=check_status(record.status),
            expires_at=record.expires_at,
        )


class LocalUser(BaseModel):
    id: int
    first_name: str
    last_name: str
    blocked: bool
    identifications: list[IdentificationView]

    @classmethod
    def of(cls, record: LocalUserRecord) -> LocalUser:
        return cls(
            id=record.id,
            first_name=record.first_name,
            last_name=record.last_name,
            blocked=record.blocked,
            identifications=[IdentificationView.of(i) for i in record.identifications],
        )
