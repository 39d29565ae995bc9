"""The CPO assignment (seed 000), and what every role may see: grants, the audit trail, meter values.
(Local users, PIN codes and RFID cards: `local_users.py`.)

The facility owner assigns the station to a charge point operator: that CPO company gets access,
replacing the previous one; like every allocation it is a grant with who, when and why, and an audit
entry. (The handover invitation is in `handover.py`.)
"""

from __future__ import annotations

from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.station_access import StationAccess, Stations, check
from evharness.reference_backend.domain.permissions import Action, Role
from evharness.reference_backend.domain.problems import Conflict, InvalidInput
from evharness.reference_backend.persistence.station_records import AuditRecord, GrantRecord, MeterSample


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
