"""Which roles a person holds on a station, from the station's recorded grants (DESIGN §2).

Grants are rows (role, company, user, email), each written by the action that allocated it:
- `partner_tech_support`: the partner company that registered (supplied) the station;
- `facility_owner`: the company owning the installation the station was added to;
- `installer`: the installer (user and company) who first edited the settings;
- `evse_owner`: the email the handover invitation was sent to (whoever signs up or logs in with it);
- `cpo`: the charge point operator company the facility owner assigned.
A company grant covers its members; an email grant the user with that address. Until an installer is
allocated, the installer company that added the station to its installation acts as its installer:
its first settings edit makes the allocation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from evharness.reference_backend.domain.permissions import Role


@dataclass(frozen=True)
class Grant:
    role: Role
    company_id: int | None = None
    user_id: int | None = None
    email: str | None = None


@dataclass(frozen=True)
class Person:
    user_id: int
    email: str
    company_ids: frozenset[int]


def holds(person: Person, grant: Grant) -> bool:
    if grant.company_id is not None and grant.company_id in person.company_ids:
        return True
    if grant.user_id is not None and grant.user_id == person.user_id and grant.company_id is None:
        return True
    return grant.email is not None and grant.email == person.email


def roles_of(person: Person, grants: Iterable[Grant], candidate_installer: int | None) -> frozenset[Role]:
    """The person's roles; `candidate_installer` is the installer company that added the station."""
    grants = list(grants)
    roles = {g.role for g in grants if holds(person, g)}
    installer_allocated = any(g.role is Role.INSTALLER for g in grants)
    if not installer_allocated and candidate_installer in person.company_ids:
        roles.add(Role.INSTALLER)
    return frozenset(roles)
