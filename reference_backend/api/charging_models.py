"""Bodies and answers of the smart charging routes (docs/smart-charging.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from evharness.reference_backend.domain.charging_profiles import Criteria, Period, Profile

Seconds = Annotated[int, Field(ge=0, le=2**31 - 1)]
Evse = Annotated[int, Field(ge=0, le=100)]
Word = Annotated[str, Field(max_length=40)]


class PeriodBody(BaseModel):
    start: Seconds = 0
    limit: Annotated[float, Field(ge=0, le=1_000_000)]
    phases: Annotated[int | None, Field(ge=1, le=3)] = None


class ProfileBody(BaseModel):
    """A charging profile in 2.0.1 words; sent in the station's version (1.6: ChargePointMaxProfile …)."""

    purpose: Word = Field(examples=["TxDefaultProfile"])
    periods: Annotated[list[PeriodBody], Field(max_length=48)]
    evse: Evse = 0
    id: Annotated[int | None, Field(ge=1, le=2**31 - 1)] = None
    stack_level: Annotated[int, Field(ge=0, le=1000)] = 0
    kind: Word = "Absolute"
    recurrency: Word | None = None
    transaction_id: Annotated[str | None, Field(max_length=36)] = None
    unit: Word = "A"
    start_schedule: datetime | None = None
    duration: Annotated[int | None, Field(ge=1, le=2**31 - 1)] = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    min_rate: Annotated[float | None, Field(ge=0, le=1_000_000)] = None

    def profile(self) -> Profile:
        fields = self.model_dump(exclude={"periods"})
        periods = tuple(Period(p.start, p.limit, p.phases) for p in self.periods)
        return Profile(periods=periods, **fields)


class CriteriaBody(BaseModel):
    """Which profiles: by id, or by EVSE, purpose and stack level (none: all of them)."""

    id: Annotated[int | None, Field(ge=0, le=2**31 - 1)] = None
    evse: Evse | None = None
    purpose: Word | None = None
    stack_level: Annotated[int | None, Field(ge=0, le=1000)] = None
    sources: Annotated[list[Annotated[str, Field(max_length=8)]], Field(max_length=4)] = []

    def criteria(self) -> Criteria:
        return Criteria(self.id, self.evse, self.purpose, self.stack_level, tuple(self.sources))


class CompositeBody(BaseModel):
    evse: Evse = 0
    duration: Annotated[int, Field(ge=1, le=7 * 86_400)] = 3600
    unit: Word | None = None


class SiteLimitBody(BaseModel):
    limit_a: Annotated[float | None, Field(ge=0, le=10_000)] = Field(examples=[32.0])


class Record(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ProfileOutcome(Record):
    profile_id: int
    status: str
    detail: str | None
    payload: dict[str, Any] | None


class ChargingProfile(Record):
    profile_id: int
    evse_id: int
    purpose: str
    stack_level: int
    transaction_ref: str | None
    source: str  # set: the CSMS set it, the station accepted; reported: the station reported it
    limit_source: str | None
    profile: dict[str, Any]
    updated_at: datetime


class ChargingNotice(Record):
    action: str
    evse_id: int | None
    status: str | None
    payload: dict[str, Any]
    received_at: datetime


class SitePush(Record):
    identity: str
    status: str
    detail: str | None


class SiteLimit(BaseModel):
    installation_id: int
    limit_a: float | None
    pushes: list[SitePush] = []
