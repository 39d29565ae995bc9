"""Station settings: stored as the desired configuration, pushed over OCPP now or at the next connection.

A change names settings (`domain.station_settings.SETTINGS`); each one's matrix action is checked, all
of them before anything is written. The first installer who edits settings becomes the station's
installer (seed 000), whether or not the station is online. Every change is in the audit trail with
its old and new value; `identification_types` also switches the station's enabled types, which the
OCPP authorization reads and the station's local authorization list reflects (synced after the change).
"""

from __future__ import annotations

from dataclasses import dataclass

from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.station_access import StationAccess, Stations, check
from evharness.reference_backend.domain.permissions import Role, allowed_roles
from evharness.reference_backend.domain.station_settings import SETTINGS, actions_for, parse_changes
from evharness.reference_backend.persistence.station_records import GrantRecord
from evharness.reference_backend.pushing import Pushed, push_settings


@dataclass(frozen=True)
class SettingView:
    name: str
    what: str
    desired: str | None
    reported: str | None
    push_status: str | None
    push_detail: str | None


def settings(stations: Stations, access: StationAccess) -> list[SettingView]:
    with stations.store.begin() as tx:
        stored = {s.name: s for s in tx.settings(access.station.id)}
    return [
        SettingView(
            name,
            setting.what,
            *(
                (s.desired, s.reported, s.push_status, s.push_detail)
                if (s := stored.get(name)) is not None
                else (None, None, None, None)
            ),
        )
        for name, setting in SETTINGS.items()
    ]


def change(stations: Stations, caller: Caller, identity: str, body: dict[str, object]) -> list[Pushed]:
    """Store the wanted values, then push them if the station is online; the pushes' outcomes."""
    if not body or any(name not in SETTINGS for name in body):
        parse_changes(body)  # raises InvalidInput naming the field: no action to check for it
    now = stations.now()
    with stations.store.begin() as tx:
        access = check(tx, caller, identity, actions_for(list(body)))
        wanted = parse_changes(body)
        station_id = access.station.id
        if _becomes_installer(access, tx.grants(station_id), list(wanted)):
            company = access.station.added_by_company_id
            reason = f"first settings edit by an installer ({', '.join(sorted(wanted))})"
            grant = {"role": Role.INSTALLER, "company_id": company, "user_id": caller.id}
            tx.add_grant(station_id, grant, caller.id, now, reason)
            new = f"user {caller.id}, company {company}"
            tx.audit(station_id, caller.id, "role", Role.INSTALLER, None, new, reason, now)
        for name, value in wanted.items():
            old = tx.set_desired(station_id, name, value, now)
            if old != value:
                tx.audit(station_id, caller.id, "setting", name, old, value, None, now)
        if "identification_types" in wanted:
            types = wanted["identification_types"].split(",")
            tx.set_id_types(station_id, "pin" in types, "rfid" in types)
    if "identification_types" in wanted and stations.on_identifications_changed is not None:
        stations.on_identifications_changed(identity)  # a disabled type's entries become Invalid offline too
    return push(stations, identity)


def _becomes_installer(access: StationAccess, grants: list[GrantRecord], names: list[str]) -> bool:
    already = any(g.role == Role.INSTALLER for g in grants)
    as_installer = any(Role.INSTALLER in allowed_roles(SETTINGS[n].action) for n in names)
    return not already and as_installer and Role.INSTALLER in access.roles


def push(stations: Stations, identity: str) -> list[Pushed]:
    """Push what is due if the station is online; [] otherwise (it happens when it next connects)."""
    ops = stations.operations
    link = ops.registered_link(identity) if ops is not None else None
    if ops is None or link is None:
        return []
    return ops.run(push_settings(link, stations.store, stations.now))
