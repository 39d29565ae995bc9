"""The handover invitation (seed 000): the facility owner invites the EVSE owner by email.

The EVSE owner role goes to the invited address at once: whoever has, or signs up with, that address
holds it. The email's link names the station; an invitee without an account signs up through it (the
link proves the address, so the account is confirmed at once). Links expire like the console's others.
"""

from __future__ import annotations

from dataclasses import dataclass

from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.mail import Message
from evharness.reference_backend.console.station_access import Stations, check
from evharness.reference_backend.domain.permissions import Action, Role
from evharness.reference_backend.domain.problems import Conflict, LinkGone
from evharness.reference_backend.domain.tokens import new_token, token_hash
from evharness.reference_backend.domain.validation import check_name, check_password, normalise_email
from evharness.reference_backend.persistence.station_access import StationTx
from evharness.reference_backend.persistence.station_records import GrantRecord


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
