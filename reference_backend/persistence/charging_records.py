"""Smart charging at the CSMS: the charging profiles it set (and stations reported), what stations
notify about EV needs, EV schedules and external limits, and each installation's site limit.
Rare writes: each its own short transaction (`ChargingRecords`, `store.charging`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from evharness.reference_backend.persistence.station_tables import station_registry
from evharness.reference_backend.persistence.tables import UtcDateTime, metadata, stations, transactions


def _station_fk() -> sa.Column[int]:
    return sa.Column("station_id", sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False)


charging_profiles = sa.Table(
    "charging_profiles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _station_fk(),
    sa.Column("profile_id", sa.Integer, nullable=False),  # the OCPP id, per station
    sa.Column("evse_id", sa.Integer, nullable=False),  # 0: the whole station (1.6 connectorId)
    sa.Column("purpose", sa.String(40), nullable=False),  # 2.0.1 words
    sa.Column("stack_level", sa.Integer, nullable=False),
    sa.Column("transaction_ref", sa.String(64)),
    sa.Column("source", sa.String(8), nullable=False),  # set: the CSMS set it; reported: the station said
    sa.Column("limit_source", sa.String(8)),  # reported: chargingLimitSource (EMS, SO, CSO, Other)
    sa.Column("request_id", sa.Integer),  # reported: the GetChargingProfiles it answers
    sa.Column("profile", sa.JSON, nullable=False),  # as it travelled, in the station's version
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("station_id", "source", "profile_id"),
)

# NotifyEVChargingNeeds, NotifyEVChargingSchedule, NotifyChargingLimit, ClearedChargingLimit as received
charging_notices = sa.Table(
    "charging_notices",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _station_fk(),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("evse_id", sa.Integer),
    sa.Column("status", sa.String(16)),  # what the CSMS answered, if the answer has a status
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Index(None, "station_id", "action"),
)

site_limits = sa.Table(
    "site_limits",
    metadata,
    sa.Column("installation_id", sa.ForeignKey("installations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("limit_a", sa.Float, nullable=False),  # amperes per phase, shared by the site's sessions
    sa.Column("set_by", sa.Integer),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)


@dataclass(frozen=True, slots=True)
class StoredProfile:
    profile_id: int
    evse_id: int
    purpose: str
    stack_level: int
    transaction_ref: str | None
    source: str
    limit_source: str | None
    profile: dict[str, Any]
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Notice:
    action: str
    evse_id: int | None
    status: str | None
    payload: dict[str, Any]
    received_at: datetime


@dataclass(frozen=True, slots=True)
class SiteStation:
    """A station of an installation with a site limit, and its running sessions' EVSEs."""

    station_id: int
    identity: str
    protocol: str | None
    running_evses: tuple[int, ...]


def _stored(row: Any) -> StoredProfile:
    return StoredProfile(
        row.profile_id,
        row.evse_id,
        row.purpose,
        row.stack_level,
        row.transaction_ref,
        row.source,
        row.limit_source,
        row.profile,
        row.updated_at,
    )


class ChargingRecords:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    # -- profiles ------------------------------------------------------------------------------------

    def next_id(self, station_id: int, below: int) -> int:
        """A profile id below `below` this station was not given by the CSMS yet."""
        with self.engine.connect() as conn:
            found = conn.scalar(
                sa.select(sa.func.max(charging_profiles.c.profile_id)).where(
                    (charging_profiles.c.station_id == station_id)
                    & (charging_profiles.c.source == "set")
                    & (charging_profiles.c.profile_id < below)
                )
            )
        return int(found or 0) + 1

    def put(self, station_id: int, profile: StoredProfile) -> None:
        """A profile the station accepted (or reported): it replaces the one with its id, and a set one
        also the one of the same EVSE, purpose and stack level (K01.FR.05/06, 1.6 §3.13.2)."""
        table = charging_profiles.c
        same_id = (table.station_id == station_id) & (table.source == profile.source)
        replaced = same_id & (table.profile_id == profile.profile_id)
        if profile.source == "set":
            replaced = replaced | (
                same_id
                & (table.evse_id == profile.evse_id)
                & (table.purpose == profile.purpose)
                & (table.stack_level == profile.stack_level)
            )
        with self.engine.begin() as conn:
            conn.execute(sa.delete(charging_profiles).where(replaced))
            conn.execute(
                sa.insert(charging_profiles).values(
                    station_id=station_id,
                    profile_id=profile.profile_id,
                    evse_id=profile.evse_id,
                    purpose=profile.purpose,
                    stack_level=profile.stack_level,
                    transaction_ref=profile.transaction_ref,
                    source=profile.source,
                    limit_source=profile.limit_source,
                    profile=profile.profile,
                    updated_at=profile.updated_at,
                )
            )

    def reported(
        self, station_id: int, request_id: int, profiles: Iterable[StoredProfile], at: datetime
    ) -> None:
        """A ReportChargingProfiles part: the profiles of an earlier request are forgotten first."""
        table = charging_profiles.c
        older = (table.station_id == station_id) & (table.source == "reported")
        with self.engine.begin() as conn:
            conn.execute(sa.delete(charging_profiles).where(older & (table.request_id != request_id)))
        for profile in profiles:
            self.put(station_id, profile)
            with self.engine.begin() as conn:
                conn.execute(
                    sa.update(charging_profiles)
                    .where(older & (table.profile_id == profile.profile_id))
                    .values(request_id=request_id)
                )

    def clear(
        self,
        station_id: int,
        profile_id: int | None,
        evse_id: int | None,
        purpose: str | None,
        stack_level: int | None,
    ) -> int:
        """Forget the set profiles a ClearChargingProfile the station accepted cleared (K10.FR.02/03)."""
        table = charging_profiles.c
        where = (table.station_id == station_id) & (table.source == "set")
        if profile_id is not None:
            where = where & (table.profile_id == profile_id)
        if evse_id is not None:
            where = where & (table.evse_id == evse_id)
        if purpose is not None:
            where = where & (table.purpose == purpose)
        if stack_level is not None:
            where = where & (table.stack_level == stack_level)
        with self.engine.begin() as conn:
            return int(conn.execute(sa.delete(charging_profiles).where(where)).rowcount or 0)

    def transaction_ended(self, station_id: int, transaction_ref: str) -> None:
        """Forget the TxProfiles set for a transaction that ended (the station discards them, K01)."""
        table = charging_profiles.c
        with self.engine.begin() as conn:
            conn.execute(
                sa.delete(charging_profiles).where(
                    (table.station_id == station_id)
                    & (table.purpose == "TxProfile")
                    & (table.transaction_ref == transaction_ref)
                )
            )

    def of_station(self, station_id: int, source: str | None = None) -> list[StoredProfile]:
        table = charging_profiles.c
        where = table.station_id == station_id
        if source is not None:
            where = where & (table.source == source)
        query = (
            sa.select(charging_profiles)
            .where(where)
            .order_by(table.source.desc(), table.evse_id, table.purpose, table.stack_level, table.profile_id)
        )
        with self.engine.connect() as conn:
            return [_stored(row) for row in conn.execute(query)]

    def find(self, station_id: int, profile_id: int) -> StoredProfile | None:
        """The profile the CSMS set with this id, if the station has it."""
        table = charging_profiles.c
        query = sa.select(charging_profiles).where(
            (table.station_id == station_id) & (table.source == "set") & (table.profile_id == profile_id)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _stored(row)

    # -- notices -------------------------------------------------------------------------------------

    def notice(
        self,
        station_id: int,
        action: str,
        evse_id: int | None,
        status: str | None,
        payload: dict[str, Any],
        at: datetime,
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(charging_notices).values(
                    station_id=station_id,
                    action=action,
                    evse_id=evse_id,
                    status=status,
                    payload=payload,
                    received_at=at,
                )
            )

    def notices(self, station_id: int, actions: Iterable[str] = ()) -> list[Notice]:
        """The station's notices, oldest first (only `actions`, if named)."""
        table = charging_notices.c
        where = table.station_id == station_id
        wanted = list(actions)
        if wanted:
            where = where & table.action.in_(wanted)
        query = sa.select(charging_notices).where(where).order_by(table.id)
        with self.engine.connect() as conn:
            return [
                Notice(r.action, r.evse_id, r.status, r.payload, r.received_at) for r in conn.execute(query)
            ]

    # -- site limits ---------------------------------------------------------------------------------

    def set_site_limit(
        self, installation_id: int, limit_a: float | None, by: int | None, at: datetime
    ) -> None:
        """The installation's site limit in amperes; None: no limit (the site's profiles are cleared)."""
        with self.engine.begin() as conn:
            conn.execute(sa.delete(site_limits).where(site_limits.c.installation_id == installation_id))
            if limit_a is not None:
                conn.execute(
                    sa.insert(site_limits).values(
                        installation_id=installation_id, limit_a=limit_a, set_by=by, updated_at=at
                    )
                )

    def site_limit(self, installation_id: int) -> float | None:
        with self.engine.connect() as conn:
            found = conn.scalar(
                sa.select(site_limits.c.limit_a).where(site_limits.c.installation_id == installation_id)
            )
        return None if found is None else float(found)

    def site_of(self, station_id: int) -> tuple[int, float] | None:
        """The installation of the station and its site limit, if it has one."""
        query = (
            sa.select(site_limits.c.installation_id, site_limits.c.limit_a)
            .join(station_registry, station_registry.c.installation_id == site_limits.c.installation_id)
            .where(station_registry.c.station_id == station_id)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else (int(row.installation_id), float(row.limit_a))

    def site_stations(self, installation_id: int) -> list[SiteStation]:
        """The installation's stations, each with the EVSEs of its running transactions."""
        query = (
            sa.select(stations.c.id, stations.c.identity, stations.c.protocol, transactions.c.evse_id)
            .select_from(
                station_registry.join(stations, stations.c.id == station_registry.c.station_id).outerjoin(
                    transactions,
                    (transactions.c.station_id == stations.c.id)
                    & (transactions.c.state == "running")
                    & transactions.c.evse_id.is_not(None),
                )
            )
            .where(station_registry.c.installation_id == installation_id)
            .order_by(stations.c.identity)
        )
        found: dict[int, SiteStation] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                known = found.get(row.id) or SiteStation(row.id, row.identity, row.protocol, ())
                evses = known.running_evses + (() if row.evse_id is None else (int(row.evse_id),))
                found[row.id] = SiteStation(row.id, row.identity, row.protocol, tuple(sorted(set(evses))))
        return list(found.values())
