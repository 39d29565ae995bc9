"""Installations and charging stations: registration, placement, settings, roles, remote operations.

Fixed-action routes declare `requires(Action.…)`; a settings change needs the action of each setting it
names (`domain.station_settings`), checked through the same matrix before anything is written.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from evharness.idtokens import IdType
from evharness.reference_backend.api.deps import MAX_ID, CallerDep, StationsDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.models import Installation
from evharness.reference_backend.api.station_deps import CanView, IdentityPath, requires
from evharness.reference_backend.api.station_models import (
    AuditEntry,
    Card,
    CardBody,
    ClaimBody,
    CpoBody,
    DisplayMessage,
    Grant,
    HandoverBody,
    HandoverSignUpBody,
    InstallationBody,
    Invitation,
    MeterSample,
    OperationBody,
    Outcome,
    PinBody,
    Push,
    RegisterBody,
    Reservation,
    Setting,
    SettingsBody,
    Station,
)
from evharness.reference_backend.console import (
    handover,
    local_users,
    remote,
    station_functions,
    station_roles,
    station_settings,
    stations,
)
from evharness.reference_backend.console.local_users import NewIdentification
from evharness.reference_backend.console.station_access import require
from evharness.reference_backend.domain.permissions import Action
from evharness.reference_backend.domain.remote_operations import ACTIONS, Request

router = APIRouter(tags=["stations"], responses=REFUSALS)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/installations", status_code=status.HTTP_201_CREATED)
def create_installation(body: InstallationBody, caller: CallerDep, st: StationsDep) -> Installation:
    """A facility (location) of one of the caller's companies; its members are the facility owners of
    the stations added to it. (Listed by GET /api/companies/{company_id}/installations.)"""
    return Installation.of(stations.create_installation(st, caller, body.company_id, body.name))


@router.get("/installations/{installation_id}/stations")
def list_stations(installation_id: Id, caller: CallerDep, st: StationsDep) -> list[Station]:
    return [Station.model_validate(v) for v in stations.stations_in(st, caller, installation_id)]


@router.post("/installations/{installation_id}/stations", status_code=status.HTTP_201_CREATED)
def add_station(installation_id: Id, body: ClaimBody, caller: CallerDep, st: StationsDep) -> Station:
    """Add a station by its identity and the claim code on its label (`plan_installation`)."""
    row = stations.add_to_installation(st, caller, installation_id, body.identity, body.claim_code)
    access = require(st, caller, row.identity, [])
    return Station.model_validate(stations.view(st, access))


@router.delete("/installations/{installation_id}/stations/{identity}", status_code=status.HTTP_204_NO_CONTENT)
def remove_station(
    installation_id: Id, identity: IdentityPath, caller: CallerDep, st: StationsDep
) -> Response:
    stations.remove_from_installation(st, caller, installation_id, identity)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/stations", status_code=status.HTTP_201_CREATED)
def register_station(body: RegisterBody, caller: CallerDep, st: StationsDep) -> Grant:
    """The supplier registers a station (identity + claim code); its partner company gets tech support."""
    stations.register(st, caller, body.identity, body.claim_code, body.partner_company_id)
    access = require(st, caller, body.identity, [])
    return Grant.model_validate(station_roles.grants(st, access)[-1])


@router.get("/stations")
def my_stations(caller: CallerDep, st: StationsDep) -> list[Station]:
    """The stations the caller holds a role on, with those roles."""
    return [Station.model_validate(v) for v in stations.mine(st, caller)]


@router.get("/stations/{identity}")
def get_station(access: CanView, st: StationsDep) -> Station:
    return Station.model_validate(stations.view(st, access))


@router.get("/stations/{identity}/settings")
def get_settings(access: CanView, st: StationsDep) -> list[Setting]:
    """Desired vs. reported values, and the outcome of the last push of each."""
    return [Setting.model_validate(s) for s in station_settings.settings(st, access)]


@router.patch("/stations/{identity}/settings")
def change_settings(
    identity: IdentityPath, body: SettingsBody, caller: CallerDep, st: StationsDep
) -> list[Push]:
    """Store the settings named in the body and push them if the station is online (else at its next
    connection); the pushes' outcomes. Each setting needs its own action of the matrix."""
    return [Push.model_validate(p) for p in station_settings.change(st, caller, identity, body)]


@router.get("/stations/{identity}/reservations")
def list_reservations(access: CanView, st: StationsDep) -> list[Reservation]:
    """The reservations made through the CSMS and what became of each (docs/reservations.md)."""
    return [Reservation.model_validate(r) for r in station_functions.reservations(st, access)]


@router.get("/stations/{identity}/display-messages")
def list_display_messages(access: CanView, st: StationsDep) -> list[DisplayMessage]:
    """The messages the station shows (as set by the CSMS, or as it reported them)."""
    return [DisplayMessage.model_validate(m) for m in station_functions.display_messages(st, access)]


@router.get("/stations/{identity}/roles")
def list_roles(access: CanView, st: StationsDep) -> list[Grant]:
    """Who holds which role on the station, granted by whom, when and why."""
    return [Grant.model_validate(g) for g in station_roles.grants(st, access)]


@router.get("/stations/{identity}/audit")
def audit(access: CanView, st: StationsDep) -> list[AuditEntry]:
    """Every settings change, role allocation and operation: who, what, old → new, when."""
    return [AuditEntry.model_validate(a) for a in station_roles.audit_trail(st, access)]


@router.get("/stations/{identity}/meter-values")
def meter_values(access: CanView, st: StationsDep) -> list[MeterSample]:
    """The latest samples the station reported, newest first."""
    return [MeterSample.model_validate(m) for m in station_roles.meter_values(st, access)]


@router.post(
    "/stations/{identity}/handover",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(requires(Action.SEND_HANDOVER))],
)
def send_handover(identity: IdentityPath, body: HandoverBody, caller: CallerDep, st: StationsDep) -> Grant:
    """The facility owner invites the EVSE owner by email (`send_handover`)."""
    return Grant.model_validate(handover.send_handover(st, caller, identity, body.email))


@router.get("/links/handover")
def open_handover(st: StationsDep, token: Annotated[str, Query(min_length=1, max_length=200)]) -> Invitation:
    """The invitation link: names the station and how to sign up with the invited address."""
    return Invitation.model_validate(handover.open_handover(st, token))


@router.post("/handover/sign-up", status_code=status.HTTP_201_CREATED)
def sign_up_through_handover(body: HandoverSignUpBody, st: StationsDep) -> Invitation:
    """The invitee without an account signs up with the link's token; the account is confirmed by it."""
    return Invitation.model_validate(
        handover.sign_up_through_handover(st, body.token, body.name, body.password)
    )


@router.put("/stations/{identity}/cpo", dependencies=[Depends(requires(Action.ASSIGN_CPO))])
def assign_cpo(identity: IdentityPath, body: CpoBody, caller: CallerDep, st: StationsDep) -> Grant:
    return Grant.model_validate(station_roles.assign_cpo(st, caller, identity, body.company_id))


@router.post(
    "/stations/{identity}/rfid-cards",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(requires(Action.ADD_RFID_CARD))],
)
def add_rfid_card(identity: IdentityPath, body: CardBody, caller: CallerDep, st: StationsDep) -> Card:
    """A new local user with an RFID card (hex UID): every role may (the seed's exception)."""
    new = NewIdentification(IdType.RFID, body.uid, body.status, body.expires_at)
    added = local_users.add_with_new_user(st, caller, identity, new, body.first_name, body.last_name, "uid")
    return Card(id=added.id, local_user_id=added.local_user_id)


@router.post(
    "/stations/{identity}/pin-codes",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(requires(Action.MANAGE_LOCAL_USERS))],
)
def add_pin_code(identity: IdentityPath, body: PinBody, caller: CallerDep, st: StationsDep) -> Card:
    """A new local user with a PIN code (`#` and 4-8 digits)."""
    new = NewIdentification(IdType.PIN, body.code, body.status, body.expires_at)
    added = local_users.add_with_new_user(st, caller, identity, new, body.first_name, body.last_name, "code")
    return Card(id=added.id, local_user_id=added.local_user_id)


def _operation_route(operation: str) -> None:
    @router.post(
        f"/stations/{{identity}}/operations/{operation}",
        dependencies=[Depends(requires(ACTIONS[operation]))],
        name=f"operation_{operation.replace('-', '_')}",
    )
    def operate(identity: IdentityPath, body: OperationBody, caller: CallerDep, st: StationsDep) -> Outcome:
        """Sent to the station now (409 if it is offline); the answer's status, audited."""
        request = Request(**body.model_dump())
        return Outcome.model_validate(remote.operate(st, caller, identity, operation, request))


for _operation in ACTIONS:  # one route per remote operation, each requiring its own action
    _operation_route(_operation)
