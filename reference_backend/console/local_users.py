"""A station's local users and their identifications, PIN codes and RFID cards (seed 001): the use cases.

Each change is one transaction: the matrix check, the lookups (another station's user or identification
is not found), the rules (`domain.local_users`: 422 naming the field, 409 for a code the station knows
already), and only then the writes and their audit entries (who, what, old → new; a PIN only as `#****`).
So a refusal changes nothing. After the commit the station's local authorization list is synced
(`Stations.on_identifications_changed`), once per change; a request that changes nothing syncs nothing.
Adding a PIN needs `manage_local_users`, adding an RFID card `add_rfid_card` (the seed's exception:
every role), by `CODE_RULES`; everything else about local users needs `manage_local_users`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from evharness.idtokens import IdType
from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.station_access import StationAccess, Stations, check
from evharness.reference_backend.domain.local_users import (
    IDENTIFICATION_RULES,
    USER_RULES,
    check_code,
    check_expiry,
    check_status,
    checked,
    differences,
    label,
    written,
)
from evharness.reference_backend.domain.permissions import Action
from evharness.reference_backend.domain.problems import Conflict, InvalidInput, NotFound
from evharness.reference_backend.domain.validation import check_name
from evharness.reference_backend.persistence.station_access import StationTx
from evharness.reference_backend.persistence.station_records import (
    IdentificationRecord,
    LocalUserRecord,
    StationRow,
)

CODE_RULES: dict[IdType, Action] = {IdType.RFID: Action.ADD_RFID_CARD, IdType.PIN: Action.MANAGE_LOCAL_USERS}
MANAGE = [Action.MANAGE_LOCAL_USERS]


@dataclass(frozen=True)
class NewIdentification:
    id_type: IdType
    code: str
    status: str = "active"
    expires_at: datetime | None = None


# -- reading ---------------------------------------------------------------------------------------


def local_users(stations: Stations, access: StationAccess) -> list[LocalUserRecord]:
    with stations.store.begin() as tx:
        return tx.local_users(access.station.id)


def local_user(stations: Stations, access: StationAccess, user_id: int) -> LocalUserRecord:
    with stations.store.begin() as tx:
        return _user(tx, access.station, user_id)


# -- local users -----------------------------------------------------------------------------------


def create(
    stations: Stations, caller: Caller, identity: str, first_name: str, last_name: str, blocked: bool = False
) -> LocalUserRecord:
    with stations.store.begin() as tx:
        station = check(tx, caller, identity, MANAGE).station
        user = _new_user(tx, station, caller, first_name, last_name, blocked, stations.now())
    _changed(stations, identity)
    return user


def change(
    stations: Stations, caller: Caller, identity: str, user_id: int, wanted: Mapping[str, object]
) -> LocalUserRecord:
    """Rename, block or unblock: only the given fields (`USER_RULES`), each audited old → new."""
    with stations.store.begin() as tx:
        station = check(tx, caller, identity, MANAGE).station
        user = _user(tx, station, user_id)
        new = checked(USER_RULES, wanted)
        diff = differences({field: getattr(user, field) for field in new}, new)
        if diff:
            tx.update_local_user(user.id, {field: value for field, (_, value) in diff.items()})
            _audit_diff(
                tx, station, caller, "local_user", f"local user {user.id}", diff, None, stations.now()
            )
            user = _user(tx, station, user_id)
    if diff:
        _changed(stations, identity)
    return user


def set_blocked(
    stations: Stations, caller: Caller, identity: str, user_id: int, blocked: bool
) -> LocalUserRecord:
    """Blocked: the station's list entries of the user's codes become Blocked; unblocked: Accepted again."""
    return change(stations, caller, identity, user_id, {"blocked": blocked})


def delete(stations: Stations, caller: Caller, identity: str, user_id: int) -> None:
    """The user and every identification of theirs: the station's list loses their entries."""
    with stations.store.begin() as tx:
        station = check(tx, caller, identity, MANAGE).station
        user = _user(tx, station, user_id)
        tx.remove_local_user(user.id)
        codes = ", ".join(label(IdType(i.type), i.code) for i in user.identifications) or "no identifications"
        old = f"{_name(user)}; {codes}"
        tx.audit(
            station.id, caller.id, "local_user", f"local user {user.id}", old, None, None, stations.now()
        )
    _changed(stations, identity)


# -- identifications -------------------------------------------------------------------------------


def add_identification(
    stations: Stations,
    caller: Caller,
    identity: str,
    user_id: int,
    new: NewIdentification,
    field: str = "code",
) -> IdentificationRecord:
    """A PIN code or RFID card for an existing local user; the action depends on its type (`CODE_RULES`)."""
    with _raced(identity, new), stations.store.begin() as tx:
        station = check(tx, caller, identity, [CODE_RULES[new.id_type]]).station
        user = _user(tx, station, user_id)
        added = _add(tx, station, caller, user, new, field, stations.now())
    _changed(stations, identity)
    return added


def add_with_new_user(
    stations: Stations,
    caller: Caller,
    identity: str,
    new: NewIdentification,
    first_name: str,
    last_name: str,
    field: str,
) -> IdentificationRecord:
    """A new local user holding one code (POST /rfid-cards and /pin-codes), in one transaction."""
    with _raced(identity, new), stations.store.begin() as tx:
        station = check(tx, caller, identity, [CODE_RULES[new.id_type]]).station
        now = stations.now()
        user = _new_user(tx, station, caller, first_name, last_name, False, now)
        added = _add(tx, station, caller, user, new, field, now)
    _changed(stations, identity)
    return added


def change_identification(
    stations: Stations,
    caller: Caller,
    identity: str,
    user_id: int,
    identification_id: int,
    wanted: Mapping[str, object],
) -> IdentificationRecord:
    """Status and expiry (`IDENTIFICATION_RULES`), and a PIN's code: checked as a new PIN, unique at the
    station, audited masked (never written in clear: `label`)."""
    rest = dict(wanted)
    code = rest.pop("code", None)
    with _recoded_meanwhile(identity), stations.store.begin() as tx:
        station = check(tx, caller, identity, MANAGE).station
        if "code" in wanted and code is None:
            raise InvalidInput("code", "must not be null: leave the field out to keep its value")
        found = _identification(tx, station, user_id, identification_id)
        id_type = IdType(found.type)
        new = checked(IDENTIFICATION_RULES, rest)
        diff = differences({field: getattr(found, field) for field in new}, new)
        named, reason, now = label(id_type, found.code), f"of local user {user_id}", stations.now()
        recoded = code is not None and _recode(tx, station, caller, found, _new_code(id_type, code), now)
        if diff:
            tx.update_identification(found.id, {field: value for field, (_, value) in diff.items()})
            _audit_diff(tx, station, caller, "identification", named, diff, reason, now)
        if diff or recoded:
            found = _identification(tx, station, user_id, identification_id)
    if diff or recoded:
        _changed(stations, identity)
    return found


def _new_code(id_type: IdType, code: object) -> str:
    """A PIN may be edited (seed 001), checked as a new one; a card's UID is the card itself."""
    if id_type is not IdType.PIN:
        raise InvalidInput("code", "a card's UID cannot change: remove the card and add the new one")
    return check_code(id_type, str(code))


@contextmanager
def _recoded_meanwhile(identity: str) -> Iterator[None]:
    """The same new code given concurrently to another identification (the unique key caught it)."""
    try:
        yield
    except sa.exc.IntegrityError as exc:
        raise Conflict(
            f"that code was given to another identification at station {identity} meanwhile"
        ) from exc


def _recode(
    tx: StationTx, station: StationRow, caller: Caller, found: IdentificationRecord, code: str, now: datetime
) -> bool:
    """Give an identification a new code (unique at the station); False if it is the same one."""
    id_type = IdType(found.type)
    if code.upper() == found.code.upper():
        return False
    if tx.has_code(station.id, code):
        raise Conflict(f"{label(id_type, code)} is known at station {station.identity} already")
    tx.update_identification(found.id, {"code": code, "code_key": code.upper()})
    old, new = label(id_type, found.code), label(id_type, code)  # a PIN: `pin #****` both
    reason = f"of local user {found.local_user_id}"
    tx.audit(station.id, caller.id, "identification", f"{old}: code", old, new, reason, now)
    return True


def remove_identification(
    stations: Stations, caller: Caller, identity: str, user_id: int, identification_id: int
) -> None:
    with stations.store.begin() as tx:
        station = check(tx, caller, identity, MANAGE).station
        found = _identification(tx, station, user_id, identification_id)
        tx.remove_identification(found.id)
        tx.audit(
            station.id, caller.id, "identification", label(IdType(found.type), found.code),
            _state(found.status, found.expires_at), None, f"of local user {user_id}", stations.now(),
        )  # fmt: skip
    _changed(stations, identity)


# -- helpers ---------------------------------------------------------------------------------------


def _user(tx: StationTx, station: StationRow, user_id: int) -> LocalUserRecord:
    found = tx.local_user(station.id, user_id)
    if found is None:
        raise NotFound(f"no local user {user_id} at station {station.identity}")
    return found


def _identification(
    tx: StationTx, station: StationRow, user_id: int, identification_id: int
) -> IdentificationRecord:
    user = _user(tx, station, user_id)
    found = next((i for i in user.identifications if i.id == identification_id), None)
    if found is None:
        raise NotFound(
            f"no identification {identification_id} of local user {user_id} at station {station.identity}"
        )
    return found


def _new_user(
    tx: StationTx,
    station: StationRow,
    caller: Caller,
    first_name: str,
    last_name: str,
    blocked: bool,
    now: datetime,
) -> LocalUserRecord:
    first, last = check_name(first_name, "first_name"), check_name(last_name, "last_name")
    user_id = tx.add_local_user(station.id, first, last, blocked)
    user = _user(tx, station, user_id)
    tx.audit(station.id, caller.id, "local_user", f"local user {user_id}", None, _name(user), None, now)
    return user


def _add(
    tx: StationTx,
    station: StationRow,
    caller: Caller,
    user: LocalUserRecord,
    new: NewIdentification,
    field: str,
    now: datetime,
) -> IdentificationRecord:
    code = check_code(new.id_type, new.code, field)
    status, expires_at = check_status(new.status), check_expiry(new.expires_at)
    named = label(new.id_type, code)
    if tx.has_code(station.id, code):
        raise Conflict(f"{named} is known at station {station.identity} already")
    added = tx.add_identification(station.id, user.id, new.id_type.value, code, status, expires_at)
    reason = f"for local user {user.id} ({user.first_name} {user.last_name})"
    tx.audit(station.id, caller.id, "identification", named, None, _state(status, expires_at), reason, now)
    return _identification(tx, station, user.id, added)


@contextmanager
def _raced(identity: str, new: NewIdentification) -> Iterator[None]:
    """The same code added concurrently (the unique key caught it), or the user removed meanwhile."""
    try:
        yield
    except sa.exc.IntegrityError as exc:
        named = label(new.id_type, new.code.upper())
        raise Conflict(f"{named} was added at station {identity}, or its user removed, meanwhile") from exc


def _audit_diff(
    tx: StationTx,
    station: StationRow,
    caller: Caller,
    kind: str,
    subject: str,
    diff: Mapping[str, tuple[object, object]],
    reason: str | None,
    now: datetime,
) -> None:
    """One audit entry per changed field: `subject: field`, old → new."""
    for field, (old, new) in diff.items():
        tx.audit(
            station.id,
            caller.id,
            kind,
            f"{subject}: {field}",
            written(field, old),
            written(field, new),
            reason,
            now,
        )


def _name(user: LocalUserRecord) -> str:
    return f"{user.first_name} {user.last_name}{' (blocked)' if user.blocked else ''}"


def _state(status: str, expires_at: datetime | None) -> str:
    return f"{status}, expires {expires_at.isoformat()}" if expires_at else f"{status}, no expiry"


def _changed(stations: Stations, identity: str) -> None:
    if stations.on_identifications_changed is not None:
        stations.on_identifications_changed(identity)
