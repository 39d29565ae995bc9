"""Smart charging: charging profiles per station and EVSE, composite schedules, what stations notified,
and an installation's site limit (docs/smart-charging.md "Reference backend")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from evharness.reference_backend.api.charging_models import (
    ChargingNotice,
    ChargingProfile,
    CompositeBody,
    CriteriaBody,
    ProfileBody,
    ProfileOutcome,
    SiteLimit,
    SiteLimitBody,
    SitePush,
)
from evharness.reference_backend.api.deps import MAX_ID, CallerDep, StationsDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.station_deps import CanView, IdentityPath
from evharness.reference_backend.api.station_models import Outcome
from evharness.reference_backend.console import charging

router = APIRouter(tags=["smart charging"], responses=REFUSALS)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/stations/{identity}/charging-profiles")
def set_charging_profile(
    identity: IdentityPath, body: ProfileBody, caller: CallerDep, st: StationsDep
) -> ProfileOutcome:
    """SetChargingProfile now (409 if offline), by the matrix action of its purpose; kept if accepted."""
    return ProfileOutcome.model_validate(charging.set_profile(st, caller, identity, body.profile()))


@router.get("/stations/{identity}/charging-profiles")
def list_charging_profiles(access: CanView, st: StationsDep) -> list[ChargingProfile]:
    """The profiles the station accepted from the CSMS (`set`) and the ones it last reported."""
    return [ChargingProfile.model_validate(p) for p in charging.profiles(st, access)]


@router.post("/stations/{identity}/charging-profiles/clear")
def clear_charging_profiles(
    identity: IdentityPath, body: CriteriaBody, caller: CallerDep, st: StationsDep
) -> Outcome:
    """ClearChargingProfile by id or criteria (none: all); the cleared profiles are forgotten."""
    return Outcome.model_validate(charging.clear_profiles(st, caller, identity, body.criteria()))


@router.post("/stations/{identity}/charging-profiles/report")
def report_charging_profiles(
    identity: IdentityPath, body: CriteriaBody, caller: CallerDep, st: StationsDep
) -> Outcome:
    """GetChargingProfiles (2.0.1): the station's ReportChargingProfiles are kept as `reported`."""
    return Outcome.model_validate(charging.report_profiles(st, caller, identity, body.criteria()))


@router.post("/stations/{identity}/composite-schedule")
def composite_schedule(
    identity: IdentityPath, body: CompositeBody, caller: CallerDep, st: StationsDep
) -> Outcome:
    """GetCompositeSchedule of an EVSE (0: the station); the station's answer in `payload`."""
    outcome = charging.composite_schedule(st, caller, identity, body.evse, body.duration, body.unit)
    return Outcome.model_validate(outcome)


@router.get("/stations/{identity}/charging-notices")
def list_charging_notices(access: CanView, st: StationsDep) -> list[ChargingNotice]:
    """EV charging needs and schedules, external limits set and cleared, oldest first."""
    return [ChargingNotice.model_validate(n) for n in charging.notices(st, access)]


@router.get("/stations/{identity}/charging-limits")
def list_charging_limits(access: CanView, st: StationsDep) -> list[ChargingNotice]:
    """The external limits (NotifyChargingLimit) in force: not cleared since."""
    return [ChargingNotice.model_validate(n) for n in charging.limits_in_force(st, access)]


@router.put("/installations/{installation_id}/site-limit")
def put_site_limit(installation_id: Id, body: SiteLimitBody, caller: CallerDep, st: StationsDep) -> SiteLimit:
    """The load balancer: a limit (A per phase) the site's sessions share; null removes it."""
    pushes = charging.set_site_limit(st, caller, installation_id, body.limit_a)
    return SiteLimit(
        installation_id=installation_id,
        limit_a=body.limit_a,
        pushes=[SitePush.model_validate(p) for p in pushes],
    )


@router.get("/installations/{installation_id}/site-limit")
def get_site_limit(installation_id: Id, caller: CallerDep, st: StationsDep) -> SiteLimit:
    return SiteLimit(
        installation_id=installation_id, limit_a=charging.site_limit(st, caller, installation_id)
    )
