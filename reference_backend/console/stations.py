"""The hierarchy (seed 000): company → installations → charging stations → EVSEs and connectors.

A station becomes known by registration (its supplier, a partner company, enters the identity and the
claim code printed on its label) or by connecting (BootNotification). An installer — or the facility
owner — adds it to an installation with its identity and claim code. A claim proves something the
network never saw: a station known only by connecting has no claim code until the platform operator
issues one (`issue_claim_code`) and hands it to the owner; nothing the station itself sends (its
serial number, which an impersonator reports as easily) claims it.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from evharness.identities import identity_problem
from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.station_access import (
    StationAccess,
    Stations,
    check,
    person,
    roles_in,
    station_in,
)
from evharness.reference_backend.domain.permissions import Action, Role, refusal
from evharness.reference_backend.domain.problems import Conflict, Forbidden, InvalidInput, NotFound
from evharness.reference_backend.domain.tokens import token_hash
from evharness.reference_backend.domain.validation import check_name
from evharness.reference_backend.persistence.console_records import InstallationRecord
from evharness.reference_backend.persistence.station_access import StationTx
from evharness.reference_backend.persistence.station_records import ConnectorRecord, StationRow

CLAIM_CODE = re.compile(r"[A-Za-z0-9-]{6,32}")


@dataclass(frozen=True)
class StationView:
    identity: str
    protocol: str | None
    online: bool
    installation_id: int | None
    partner_company_id: int | None
    connectors: list[ConnectorRecord]
    your_roles: list[str]


def check_identity(identity: str) -> str:
    problem = identity_problem(identity)
    if problem:
        raise InvalidInput("identity", problem)
    return identity


def check_claim_code(code: str) -> str:
    if not CLAIM_CODE.fullmatch(code):
        raise InvalidInput("claim_code", "must be 6 to 32 letters, digits or '-' as printed on the label")
    return code


def register(
    stations: Stations, caller: Caller, identity: str, claim_code: str, partner_id: int
) -> StationRow:
    """The supplier (a partner company's member) registers a station it delivers."""
    check_identity(identity)
    code_hash = token_hash(check_claim_code(claim_code))
    now = stations.now()
    with stations.store.begin() as tx:
        partner = tx.company(partner_id)
        if partner is None or partner.type != "partner" or caller.role_in(partner_id) is None:
            raise InvalidInput("partner_company_id", "must be a partner company you are a member of")
        found = tx.station(identity)
        if found is not None and found.claim_code_hash is not None:
            raise Conflict(f"station {identity} is registered already")
        station_id = found.id if found is not None else tx.add_station(identity, now)
        if tx.registry_exists(station_id):  # known by connecting, claimed with its serial number
            tx.set_claim(station_id, code_hash, partner_id)
        else:
            tx.register(station_id, code_hash, partner_id, now)
        reason = f"registered the station as its supplier ({partner.name})"
        tx.add_grant(
            station_id, {"role": Role.PARTNER_TECH_SUPPORT, "company_id": partner_id}, caller.id, now, reason
        )
        tx.audit(
            station_id,
            caller.id,
            "role",
            Role.PARTNER_TECH_SUPPORT,
            None,
            f"company {partner_id}",
            reason,
            now,
        )
        return station_in(tx, identity)


def installation_roles(tx: StationTx, caller: Caller, company_id: int) -> frozenset[Role]:
    """Roles for planning an installation: its owner's members, and installers with the claim code."""
    roles = set()
    if caller.role_in(company_id) is not None:
        roles.add(Role.FACILITY_OWNER)
    if any(m.company.type == "installer" for m in caller.active()):
        roles.add(Role.INSTALLER)
    return frozenset(roles)


def add_to_installation(
    stations: Stations, caller: Caller, installation_id: int, identity: str, claim_code: str
) -> StationRow:
    check_identity(identity)
    check_claim_code(claim_code)
    now = stations.now()
    with stations.store.begin() as tx:
        place = tx.installation(installation_id)
        if place is None:
            raise NotFound(f"no installation {installation_id}")
        _, owner_id, name = place
        station = station_in(tx, identity)
        roles = installation_roles(tx, caller, owner_id) | roles_in(tx, caller, station)
        problem = refusal(
            Action.PLAN_INSTALLATION, roles, f"station {identity} in installation {installation_id}"
        )
        if problem is not None:
            raise Forbidden(problem)
        if not _claim_matches(station, claim_code):
            raise InvalidInput("claim_code", f"does not match the label of station {identity}")
        installer_company = next(
            (m.company.id for m in caller.active() if m.company.type == "installer"), None
        )
        acting_installer = Role.FACILITY_OWNER not in roles and installer_company is not None
        if station.installation_id is not None:
            if station.installation_id == installation_id and acting_installer and _no_installer(tx, station):
                return _join_as_installer(tx, caller, station, installer_company, now)
            raise Conflict(f"station {identity} is in installation {station.installation_id} already")
        if not tx.registry_exists(station.id):
            tx.register(station.id, None, None, now)
        tx.place(station.id, installation_id, installer_company if acting_installer else None)
        reason = f"station added to installation {name} ({installation_id})"
        tx.add_grant(
            station.id, {"role": Role.FACILITY_OWNER, "company_id": owner_id}, caller.id, now, reason
        )
        tx.audit(station.id, caller.id, "role", Role.FACILITY_OWNER, None, f"company {owner_id}", reason, now)
        tx.audit(station.id, caller.id, "station", "installation", None, str(installation_id), reason, now)
        return station_in(tx, identity)


def _join_as_installer(
    tx: StationTx, caller: Caller, station: StationRow, company: int | None, now: datetime
) -> StationRow:
    """The owner added the station; the installer on site, with the label's claim code, joins it:
    their company acts as installer until their first settings edit allocates the role."""
    tx.place(station.id, station.installation_id, company)
    reason = "an installer with the claim code joined the station"
    tx.audit(station.id, caller.id, "station", "installer_company", None, str(company), reason, now)
    return station_in(tx, station.identity)


def _no_installer(tx: StationTx, station: StationRow) -> bool:
    installer = any(g.role == Role.INSTALLER for g in tx.grants(station.id))
    return station.added_by_company_id is None and not installer


def remove_from_installation(stations: Stations, caller: Caller, installation_id: int, identity: str) -> None:
    now = stations.now()
    with stations.store.begin() as tx:
        access = check(tx, caller, identity, [Action.PLAN_INSTALLATION])
        if access.station.installation_id != installation_id:
            raise NotFound(f"station {identity} is not in installation {installation_id}")
        tx.place(access.station.id, None, None)
        tx.remove_grants(access.station.id, Role.FACILITY_OWNER)
        reason = f"station removed from installation {installation_id}"
        tx.audit(
            access.station.id, caller.id, "station", "installation", str(installation_id), None, reason, now
        )


def _claim_matches(station: StationRow, claim_code: str) -> bool:
    """Only a code the station never sent: the label's (registration) or the operator's."""
    if station.claim_code_hash is None:
        return False
    return hmac.compare_digest(station.claim_code_hash, token_hash(claim_code))


def issue_claim_code(stations: Stations, caller: Caller, identity: str) -> str:
    """The platform operator issues a new claim code for a known station (replacing any earlier one)
    and hands it to the station's owner; shown once, only its hash is kept."""
    caller.require_operator("issue a claim code")
    code = "-".join(secrets.token_hex(3).upper() for _ in range(3))  # e.g. 3F9A1C-07B2DE-91C4AA
    now = stations.now()
    with stations.store.begin() as tx:
        station = station_in(tx, check_identity(identity))
        if tx.registry_exists(station.id):
            tx.set_claim_code(station.id, token_hash(code))
        else:
            tx.register(station.id, token_hash(code), None, now)
        reason = "the platform operator issued a claim code"
        tx.audit(station.id, caller.id, "station", "claim_code", None, "issued", reason, now)
    return code


def create_installation(stations: Stations, caller: Caller, company_id: int, name: str) -> InstallationRecord:
    caller.require_member_of(company_id)
    name = check_name(name)
    with stations.store.begin() as tx:
        if tx.company(company_id) is None:
            raise NotFound(f"no company {company_id}")
        installation_id = tx.add_installation(company_id, name, stations.now())
        return next(i for i in tx.installations(company_id) if i.id == installation_id)


def stations_in(stations: Stations, caller: Caller, installation_id: int) -> list[StationView]:
    with stations.store.begin() as tx:
        place = tx.installation(installation_id)
        if place is None or (caller.role_in(place[1]) is None and not caller.is_operator):
            raise NotFound(f"no installation {installation_id} of your companies")
        return [view_of(stations, tx, caller, s) for s in tx.stations_in(installation_id)]


def mine(stations: Stations, caller: Caller) -> list[StationView]:
    """Every station the caller holds a role on."""
    who = person(caller)
    with stations.store.begin() as tx:
        views = [view_of(stations, tx, caller, s) for s in tx.stations_of(who.company_ids, who.email)]
    return [v for v in views if v.your_roles]


def view(stations: Stations, access: StationAccess) -> StationView:
    with stations.store.begin() as tx:
        return view_of(stations, tx, access.caller, access.station)


def view_of(stations: Stations, tx: StationTx, caller: Caller, station: StationRow) -> StationView:
    online = stations.operations is not None and stations.operations.version_of(station.identity) is not None
    return StationView(
        station.identity,
        station.protocol,
        online,
        station.installation_id,
        station.partner_company_id,
        tx.connectors(station.id),
        sorted(roles_in(tx, caller, station)),
    )
