"""Smart charging through the console: charging profiles per station and EVSE (K01/K08-K10, 1.6 Smart
Charging), the installation's site limit (load balancer), and what stations notified.

Who may: each profile purpose needs its matrix action (`domain.charging_profiles.PURPOSES`); reading
profiles and schedules is `view_settings`; a site limit is `configure_accessories` on every station of
the installation. A CALL is sent now (409 if the station is offline) and audited with its outcome; what
the station accepted is kept by `handlers.smart_charging.ANSWERS`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from evharness.ocppj.vocabulary import Action as OcppAction
from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.remote import online_version, send
from evharness.reference_backend.console.station_access import StationAccess, Stations, check, require
from evharness.reference_backend.domain import charging_profiles
from evharness.reference_backend.domain.charging_profiles import (
    CONSOLE_IDS,
    Criteria,
    Profile,
    clear_call,
    composite_call,
    profile_actions,
    report_call,
    set_call,
)
from evharness.reference_backend.domain.load_management import SITE_PROFILE_ID
from evharness.reference_backend.domain.permissions import Action
from evharness.reference_backend.domain.problems import InvalidInput, NotFound
from evharness.reference_backend.handlers.smart_charging import site_calls
from evharness.reference_backend.operations import Outcome
from evharness.reference_backend.persistence.charging_records import ChargingRecords, Notice, StoredProfile

_request_ids = itertools.count(1)
LIMIT_ACTIONS = (OcppAction.NotifyChargingLimit, OcppAction.ClearedChargingLimit)
EV_ACTIONS = (OcppAction.NotifyEVChargingNeeds, OcppAction.NotifyEVChargingSchedule)


def _records(stations: Stations) -> ChargingRecords:
    return ChargingRecords(stations.store.engine)


@dataclass(frozen=True, slots=True)
class ProfileOutcome:
    profile_id: int
    status: str
    detail: str | None
    payload: dict[str, object] | None


def set_profile(stations: Stations, caller: Caller, identity: str, profile: Profile) -> ProfileOutcome:
    charging_profiles.check(profile)  # 422 before 403: a bad purpose has no matrix action
    access = require(stations, caller, identity, profile_actions(profile.purpose))
    version = online_version(stations, identity, "set-charging-profile")
    profile_id = profile.id or _records(stations).next_id(access.station.id, CONSOLE_IDS)
    on_16 = version.value == "1.6"
    action, payload = set_call(replace(profile, id=profile_id), profile_id, on_16, stations.now())
    outcome = send(stations, access, "set-charging-profile", action, payload)
    return ProfileOutcome(profile_id, outcome.status, outcome.detail, outcome.payload)


def clear_profiles(stations: Stations, caller: Caller, identity: str, criteria: Criteria) -> Outcome:
    """By id (the matrix action of the profile's purpose, when the CSMS knows it) or by criteria."""
    purpose = criteria.purpose
    if criteria.id is not None and purpose is None:
        with stations.store.begin() as tx:
            station = check(tx, caller, identity, []).station
        known = _records(stations).find(station.id, criteria.id)
        purpose = None if known is None else known.purpose
    clear_call(criteria, False)  # 422 naming the field before the matrix
    access = require(stations, caller, identity, profile_actions(purpose))
    version = online_version(stations, identity, "clear-charging-profile")
    action, payload = clear_call(criteria, version.value == "1.6")
    return send(stations, access, "clear-charging-profile", action, payload)


def report_profiles(stations: Stations, caller: Caller, identity: str, criteria: Criteria) -> Outcome:
    """K09: the station reports its profiles (ReportChargingProfiles, kept as `reported`)."""
    access = require(stations, caller, identity, [Action.VIEW_SETTINGS])
    version = online_version(stations, identity, "get-charging-profiles")
    action, payload = report_call(criteria, next(_request_ids), version.value == "1.6")
    return send(stations, access, "get-charging-profiles", action, payload)


def composite_schedule(
    stations: Stations, caller: Caller, identity: str, evse: int, duration: int, unit: str | None
) -> Outcome:
    access = require(stations, caller, identity, [Action.VIEW_SETTINGS])
    version = online_version(stations, identity, "composite-schedule")
    action, payload = composite_call(evse, duration, unit, version.value == "1.6")
    return send(stations, access, "composite-schedule", action, payload)


def profiles(stations: Stations, access: StationAccess) -> list[StoredProfile]:
    """The profiles the station accepted from the CSMS (`set`) and those it last reported."""
    return _records(stations).of_station(access.station.id)


def notices(stations: Stations, access: StationAccess) -> list[Notice]:
    """What the station notified: EV charging needs and schedules, external limits set and cleared."""
    return _records(stations).notices(access.station.id)


def limits_in_force(stations: Stations, access: StationAccess) -> list[Notice]:
    """The external limits (K12) not cleared since (K13), one per EVSE and source."""
    latest: dict[tuple[int | None, str], Notice] = {}
    for notice in _records(stations).notices(access.station.id, LIMIT_ACTIONS):
        if notice.action == OcppAction.NotifyChargingLimit:
            source = str(notice.payload["chargingLimit"]["chargingLimitSource"])
        else:
            source = str(notice.payload["chargingLimitSource"])
        latest[(notice.evse_id, source)] = notice
        if notice.action == OcppAction.ClearedChargingLimit and notice.evse_id is None:
            for key in [k for k in latest if k[1] == source]:
                latest[key] = notice
    return [n for n in latest.values() if n.action == OcppAction.NotifyChargingLimit]


@dataclass(frozen=True, slots=True)
class SitePush:
    identity: str
    status: str
    detail: str | None


def set_site_limit(
    stations: Stations, caller: Caller, installation_id: int, limit_a: float | None
) -> list[SitePush]:
    """The installation's site limit (None: none): stored, then each online station of the site gets
    its TxDefaultProfile at the share of the sessions running now (no limit: the profile is cleared)."""
    if limit_a is not None and not 0 <= limit_a <= 10_000:
        raise InvalidInput("limit_a", "must be between 0 and 10000 amperes")
    with stations.store.begin() as tx:
        if tx.installation(installation_id) is None:
            raise NotFound(f"no installation {installation_id}")
        members = tx.stations_in(installation_id)
        if not members:
            raise InvalidInput("installation_id", "the installation has no station to share a limit")
        accesses = [check(tx, caller, s.identity, [Action.CONFIGURE_ACCESSORIES]) for s in members]
    _records(stations).set_site_limit(installation_id, limit_a, caller.id, stations.now())
    if limit_a is None:
        cleared = {"chargingProfileId": SITE_PROFILE_ID}
        calls = [(a.identity, OcppAction.ClearChargingProfile, cleared) for a in accesses]
    else:
        calls = site_calls(_records(stations), installation_id, limit_a, stations.now())
    by_identity = {a.identity: a for a in accesses}
    pushes = []
    ops = stations.operations
    for identity, action, payload in calls:
        version = None if ops is None else ops.version_of(identity)
        if version is None:
            pushes.append(SitePush(identity, "offline", "pushed when its next BootNotification is accepted"))
            continue
        if limit_a is None and version.value == "1.6":
            payload = {"id": SITE_PROFILE_ID}
        outcome = send(stations, by_identity[identity], "site-limit", action, payload)
        pushes.append(SitePush(identity, outcome.status, outcome.detail))
    return pushes


def site_limit(stations: Stations, caller: Caller, installation_id: int) -> float | None:
    with stations.store.begin() as tx:
        place = tx.installation(installation_id)
        if place is None or (caller.role_in(place[1]) is None and not caller.is_operator):
            members = [] if place is None else tx.stations_in(installation_id)
            if not members:
                raise NotFound(f"no installation {installation_id} of your companies")
            for member in members:
                check(tx, caller, member.identity, [Action.VIEW_SETTINGS])
    return _records(stations).site_limit(installation_id)
