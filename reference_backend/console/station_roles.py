"""Role allocation by action (seed 000), and what every role may see or add.

- The facility owner sends the handover invitation: the EVSE owner role goes to the invitee's email at
  once (whoever has, or signs up with, that address holds it); the email carries a link that names the
  station and how to sign up.
- The facility owner assigns the station to a charge point operator: that CPO company gets access.
Each allocation is a grant with who, when and why, and an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from evharness.idtokens import IdType, InvalidCode, normalize
from reference_backend.console.caller import Caller
from reference_backend.console.mail import Message
from reference_backend.console.station_access import StationAccess, Stations, check
from reference_backend.domain.permissions import Action, Role
from reference_backend.domain.problems import Conflict, InvalidInput, LinkGone
from reference_backend.domain.tokens import new_token, token_hash
from reference_backend.domain.validation import check_name, check_password, normalise_email
from reference_backend.persistence.station_access import AuditRecord, GrantRecord, MeterSample, StationTx


@dataclass(frozen=True)
class Invitation:
    identity: str
    email: str
    sign_up: str


def send_handover(stations: Stations, caller: Caller, identity: str, email: str) -> GrantRecord:
    email = normalise_email(email)
    now = stations.now()
    token = new_token()
    with stations.store.begin() as tx:
        station_id = check(tx, caller, identity, [Action.SEND_HANDOVER]).station.id
        if any(g.role == Role.EVSE_OWNER and g.email == email for g in tx.grants(station_id)):
            raise Conflict(f"{email} is the EVSE owner of {identity} already")
        reason = f"handover invitation sent to {email}"
        tx.add_grant(station_id, {"role": Role.EVSE_OWNER, "email": email}, caller.id, now, reason)
        tx.audit(station_id, caller.id, "role", Role.EVSE_OWNER, None, email, reason, now)
        tx.add_invitation(token_hash(token), station_id, email, caller.id, now)
        grant = tx.grants(station_id)[-1]
    link = f"{stations.console.public_url.rstrip('/')}/api/links/handover?token={token}"
    stations.console.send(
        Message(
            email,
            f"Your charging station {identity}",
            f"Hello,\n\n{caller.user.name} hands charging station {identity} over to you.\n"
            f"Open this link: {link}\n\nNo account yet? Sign up with this address ({email}) through it;\n"
            f"once you are logged in, the station is yours to manage.\n",
        )
    )
    return grant


def open_handover(stations: Stations, token: str) -> Invitation:
    with stations.store.begin() as tx:
        station_id, email = _invitation(stations, tx, token)
        station = tx.station_by_id(station_id)
    assert station is not None
    sign_up = "POST /api/handover/sign-up {token, name, password}, or log in if you have an account"
    return Invitation(station.identity, email, sign_up)


def sign_up_through_handover(stations: Stations, token: str, name: str, password: str) -> Invitation:
    """An invitee without an account signs up through the link: the link proves the address, so the
    account is confirmed at once; the EVSE owner role is theirs already (it is granted to the address)."""
    person = check_name(name)
    password_hash = stations.console.passwords.hash(password)
    now = stations.now()
    with stations.store.begin() as tx:
        station_id, email = _invitation(stations, tx, token)
        check_password(password, email)
        if tx.user_by_email(email) is not None:
            raise Conflict(f"{email} has an account already: log in with it")
        user_id = tx.add_user(email, person, password_hash, now, confirmed=True)
        reason = "the invitee signed up through the handover link"
        tx.audit(station_id, user_id, "role", Role.EVSE_OWNER, None, email, reason, now)
        station = tx.station_by_id(station_id)
    assert station is not None
    return Invitation(station.identity, email, "done: log in with POST /api/session")


def _invitation(stations: Stations, tx: StationTx, token: str) -> tuple[int, str]:
    found = tx.open_invitation(token_hash(token), stations.now())
    if found is None:
        raise LinkGone("this handover link is unknown")
    station_id, email, created_at = found
    if created_at + stations.console.link_ttl < stations.now():
        raise LinkGone("this handover link expired: ask the facility owner to send it again")
    return station_id, email


def assign_cpo(stations: Stations, caller: Caller, identity: str, company_id: int) -> GrantRecord:
    now = stations.now()
    with stations.store.begin() as tx:
        station_id = check(tx, caller, identity, [Action.ASSIGN_CPO]).station.id
        company = tx.company(company_id)
        if company is None or company.type != "cpo" or company.status != "active":
            raise InvalidInput("company_id", "must be an active charge point operator company")
        previous = [g for g in tx.grants(station_id) if g.role == Role.CPO]
        if any(g.company_id == company_id for g in previous):
            raise Conflict(f"{company.name} is the CPO of {identity} already")
        tx.remove_grants(station_id, Role.CPO)
        reason = f"the facility owner assigned the station to {company.name}"
        tx.add_grant(station_id, {"role": Role.CPO, "company_id": company_id}, caller.id, now, reason)
        old = ", ".join(f"company {g.company_id}" for g in previous) or None
        tx.audit(station_id, caller.id, "role", Role.CPO, old, f"company {company_id}", reason, now)
        return tx.grants(station_id)[-1]


def grants(stations: Stations, access: StationAccess) -> list[GrantRecord]:
    with stations.store.begin() as tx:
        return tx.grants(access.station.id)


def audit_trail(stations: Stations, access: StationAccess) -> list[AuditRecord]:
    with stations.store.begin() as tx:
        return tx.audit_trail(access.station.id)


def meter_values(stations: Stations, access: StationAccess) -> list[MeterSample]:
    with stations.store.begin() as tx:
        return tx.meter_samples(access.station.id)


CODE_RULES: dict[IdType, tuple[Action, str]] = {  # what adding one needs, and its field's name
    IdType.RFID: (Action.ADD_RFID_CARD, "uid"),
    IdType.PIN: (Action.MANAGE_LOCAL_USERS, "code"),
}


def add_identification(
    stations: Stations,
    caller: Caller,
    identity: str,
    id_type: IdType,
    code: str,
    first_name: str,
    last_name: str,
) -> int:
    """A local user with one RFID card or PIN code (seed 001), by the matrix row of its type."""
    action, field = CODE_RULES[id_type]
    try:
        code = normalize(id_type, code)
    except InvalidCode as exc:
        raise InvalidInput(field, str(exc)) from exc
    first, last = check_name(first_name, "first_name"), check_name(last_name, "last_name")
    now = stations.now()
    with stations.store.begin() as tx:
        station_id = check(tx, caller, identity, [action]).station.id
        if tx.has_code(station_id, code):
            raise Conflict(
                f"{id_type.value} {code if id_type is IdType.RFID else '#…'} is known at {identity} already"
            )
        added = tx.add_identification(station_id, id_type.value, code, first, last)
        shown = code if id_type is IdType.RFID else "#…"
        tx.audit(
            station_id, caller.id, "identification", id_type.value, None, shown, f"for {first} {last}", now
        )
        return added
