"""A station's security in the console API (docs/security.md).

- `POST /api/stations/{identity}/claim-code` (platform operator admins): a new claim code for a station
  known only by connecting (or one whose label is lost), shown once; the owner adds the station to an
  installation with it. Nothing a station sends over OCPP claims it.
- `GET|PUT /api/stations/{identity}/security` (`view_settings` | `set_security`): the security profile
  the station must connect with, and whether its local list may hold PINs on profile 0.
- `POST /api/stations/{identity}/password` (`set_security`): give the connected station a new
  Basic-auth password (2.0.1 SetVariables SecurityCtrlr.BasicAuthPassword, 1.6 ChangeConfiguration
  AuthorizationKey); the old one works until the station connects with the new one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field

from evharness.reference_backend.api.deps import CallerDep, StateDep, StationsDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.station_deps import CanView, IdentityPath, requires
from evharness.reference_backend.console import stations
from evharness.reference_backend.console.station_access import StationAccess
from evharness.reference_backend.console.station_security import StationSecurityUseCases
from evharness.reference_backend.domain.permissions import Action

router = APIRouter(tags=["stations"], responses=REFUSALS)


class ClaimCode(BaseModel):
    identity: str
    claim_code: str


@router.post("/stations/{identity}/claim-code", status_code=status.HTTP_201_CREATED)
def issue_claim_code(identity: IdentityPath, caller: CallerDep, st: StationsDep) -> ClaimCode:
    """Platform operator admins: issue a new claim code (replacing any earlier one), shown only here."""
    return ClaimCode(identity=identity, claim_code=stations.issue_claim_code(st, caller, identity))


def get_security(state: StateDep) -> StationSecurityUseCases:
    if state.security is None:
        raise RuntimeError("the console API was built without the backend's security (ApiState.security)")
    return state.security


SecurityDep = Annotated[StationSecurityUseCases, Depends(get_security)]
CanSetSecurity = Annotated[StationAccess, Depends(requires(Action.SET_SECURITY))]


class Security(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    identity: str
    profile: int
    own_profile: bool
    pins_on_profile_0: bool
    has_password: bool
    new_password_pending: bool


class SecurityBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile: Annotated[int | None, Field(ge=0, le=3, examples=[2])] = None
    pins_on_profile_0: bool | None = None


@router.get("/stations/{identity}/security")
def get_station_security(access: CanView, security: SecurityDep) -> Security:
    return Security.model_validate(security.view(access))


@router.put("/stations/{identity}/security")
def set_station_security(
    body: SecurityBody, access: CanSetSecurity, st: StationsDep, security: SecurityDep
) -> Security:
    """The profile the station must connect with from its next connection (refused below it), and
    whether its local list may hold PINs while it connects without security (profile 0)."""
    return Security.model_validate(security.set(st, access, body.profile, body.pins_on_profile_0))


class Rotation(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    identity: str
    status: str
    new_password_pending: bool


@router.post("/stations/{identity}/password")
def rotate_station_password(access: CanSetSecurity, st: StationsDep, security: SecurityDep) -> Rotation:
    """A new Basic-auth password for the connected station (never shown): its hash is stored once the
    station accepted it; the old password works until the station connects with the new one. 409 if
    the station is offline; a refusal (`status` Rejected) changes nothing."""
    return Rotation.model_validate(security.rotate_password(st, access))
