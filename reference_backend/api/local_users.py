"""A station's local users and their PIN codes and RFID cards: `/api/stations/{identity}/local-users`.

Every role may see them (`view_settings`); changing them needs `manage_local_users`, except adding an
RFID card, which every role may (`add_rfid_card`, checked by the use case from the body's `type`).
Each change syncs the station's local authorization list; see `console/local_users.py`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from evharness.reference_backend.api.deps import MAX_ID, CallerDep, StationsDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.local_user_models import (
    IdentificationBody,
    IdentificationChange,
    IdentificationView,
    LocalUser,
    LocalUserBody,
    LocalUserChange,
)
from evharness.reference_backend.api.station_deps import CanView, IdentityPath, requires
from evharness.reference_backend.console import local_users
from evharness.reference_backend.domain.permissions import Action

router = APIRouter(prefix="/stations/{identity}/local-users", tags=["local users"], responses=REFUSALS)
MANAGE = [Depends(requires(Action.MANAGE_LOCAL_USERS))]

UserId = Annotated[int, Path(ge=1, le=MAX_ID)]
IdentificationId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("")
def list_local_users(access: CanView, st: StationsDep) -> list[LocalUser]:
    return [LocalUser.of(u) for u in local_users.local_users(st, access)]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=MANAGE)
def create_local_user(
    identity: IdentityPath, body: LocalUserBody, caller: CallerDep, st: StationsDep
) -> LocalUser:
    return LocalUser.of(
        local_users.create(st, caller, identity, body.first_name, body.last_name, body.blocked)
    )


@router.get("/{user_id}")
def get_local_user(user_id: UserId, access: CanView, st: StationsDep) -> LocalUser:
    return LocalUser.of(local_users.local_user(st, access, user_id))


@router.patch("/{user_id}", dependencies=MANAGE)
def change_local_user(
    identity: IdentityPath, user_id: UserId, body: LocalUserChange, caller: CallerDep, st: StationsDep
) -> LocalUser:
    """Only the fields given change; blocking makes the station's list entries of the user Blocked."""
    wanted = body.model_dump(exclude_unset=True)
    return LocalUser.of(local_users.change(st, caller, identity, user_id, wanted))


@router.post("/{user_id}/block", dependencies=MANAGE)
def block_local_user(
    identity: IdentityPath, user_id: UserId, caller: CallerDep, st: StationsDep
) -> LocalUser:
    return LocalUser.of(local_users.set_blocked(st, caller, identity, user_id, True))


@router.post("/{user_id}/unblock", dependencies=MANAGE)
def unblock_local_user(
    identity: IdentityPath, user_id: UserId, caller: CallerDep, st: StationsDep
) -> LocalUser:
    return LocalUser.of(local_users.set_blocked(st, caller, identity, user_id, False))


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=MANAGE)
def delete_local_user(
    identity: IdentityPath, user_id: UserId, caller: CallerDep, st: StationsDep
) -> Response:
    """The user and all their identifications; the station's list loses their entries."""
    local_users.delete(st, caller, identity, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{user_id}/identifications", status_code=status.HTTP_201_CREATED)
def add_identification(
    identity: IdentityPath, user_id: UserId, body: IdentificationBody, caller: CallerDep, st: StationsDep
) -> IdentificationView:
    """A PIN (`#` and 4-8 digits; needs `manage_local_users`) or an RFID card (4, 7, 8 or 10 byte hex UID;
    every role may). The answer shows a PIN masked, as every later read does."""
    return IdentificationView.of(local_users.add_identification(st, caller, identity, user_id, body.new()))


@router.patch("/{user_id}/identifications/{identification_id}", dependencies=MANAGE)
def change_identification(
    identity: IdentityPath,
    user_id: UserId,
    identification_id: IdentificationId,
    body: IdentificationChange,
    caller: CallerDep,
    st: StationsDep,
) -> IdentificationView:
    """Status and expiry (null: no expiry), and a PIN's code (checked as a new PIN, shown masked)."""
    wanted = body.model_dump(exclude_unset=True)
    changed = local_users.change_identification(st, caller, identity, user_id, identification_id, wanted)
    return IdentificationView.of(changed)


@router.delete(
    "/{user_id}/identifications/{identification_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=MANAGE,
)
def remove_identification(
    identity: IdentityPath,
    user_id: UserId,
    identification_id: IdentificationId,
    caller: CallerDep,
    st: StationsDep,
) -> Response:
    local_users.remove_identification(st, caller, identity, user_id, identification_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
