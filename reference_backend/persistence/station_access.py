"""Reads and writes of station access (issue 4), one transaction per use case like the console's.

`with StationStore(engine).begin() as tx:` gives a `StationTx`: the console's reads (companies,
installations, users) plus stations, their registry, grants, settings, invitations and audit, and
(`LocalUsersTx`) the stations' local users and their identifications.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from evharness.ocppj.vocabulary import Status
from evharness.reference_backend.persistence.account_tables import installations, users
from evharness.reference_backend.persistence.certificate_store import CertificatesTx
from evharness.reference_backend.persistence.console import ConsoleTx
from evharness.reference_backend.persistence.console.base import inserted_id
from evharness.reference_backend.persistence.local_users_tx import LocalUsersTx
from evharness.reference_backend.persistence.report_store import ReportsTx
from evharness.reference_backend.persistence.station_records import (
    AuditRecord,
    ConnectorRecord,
    GrantRecord,
    MeterSample,
    SettingRecord,
    StationRow,
)
from evharness.reference_backend.persistence.station_tables import (
    handover_invitations,
    station_audit,
    station_grants,
    station_registry,
    station_settings,
)
from evharness.reference_backend.persistence.tables import connectors, meter_values, stations
from evharness.reference_backend.persistence.tokens_tx import TokensTx


class StationStore:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @contextmanager
    def begin(self) -> Iterator[StationTx]:
        with self.engine.begin() as conn:
            yield StationTx(conn)


_STATION = sa.select(
    stations.c.id,
    stations.c.identity,
    stations.c.protocol,
    stations.c.serial_number,
    stations.c.booted_at,
    station_registry.c.claim_code_hash,
    station_registry.c.partner_company_id,
    station_registry.c.installation_id,
    station_registry.c.added_by_company_id,
).select_from(stations.outerjoin(station_registry, station_registry.c.station_id == stations.c.id))


class StationTx(ConsoleTx, LocalUsersTx, TokensTx, CertificatesTx, ReportsTx):
    # -- stations and their place ------------------------------------------------------------------

    def station(self, identity: str) -> StationRow | None:
        row = self._one(_STATION.where(stations.c.identity == identity))
        return StationRow(*row) if row else None

    def station_by_id(self, station_id: int) -> StationRow | None:
        row = self._one(_STATION.where(stations.c.id == station_id))
        return StationRow(*row) if row else None

    def add_station(self, identity: str, at: datetime) -> int:
        return inserted_id(self.conn.execute(sa.insert(stations).values(identity=identity, registered_at=at)))

    def register(
        self, station_id: int, claim_code_hash: str | None, partner: int | None, at: datetime
    ) -> None:
        self.conn.execute(
            sa.insert(station_registry).values(
                station_id=station_id,
                claim_code_hash=claim_code_hash,
                partner_company_id=partner,
                registered_at=at,
            )
        )

    def registry_exists(self, station_id: int) -> bool:
        key = station_registry.c.station_id == station_id
        return self.conn.scalar(sa.select(sa.func.count()).select_from(station_registry).where(key)) != 0

    def set_claim(self, station_id: int, claim_code_hash: str, partner: int) -> None:
        self.conn.execute(
            sa.update(station_registry)
            .where(station_registry.c.station_id == station_id)
            .values(claim_code_hash=claim_code_hash, partner_company_id=partner)
        )

    def set_claim_code(self, station_id: int, claim_code_hash: str) -> None:
        self.conn.execute(
            sa.update(station_registry)
            .where(station_registry.c.station_id == station_id)
            .values(claim_code_hash=claim_code_hash)
        )

    def place(self, station_id: int, installation_id: int | None, added_by: int | None) -> None:
        self.conn.execute(
            sa.update(station_registry)
            .where(station_registry.c.station_id == station_id)
            .values(installation_id=installation_id, added_by_company_id=added_by)
        )

    def installation(self, installation_id: int) -> tuple[int, int, str] | None:
        row = self._one(sa.select(installations).where(installations.c.id == installation_id))
        return (row.id, row.company_id, row.name) if row else None

    def stations_in(self, installation_id: int) -> list[StationRow]:
        rows = self.conn.execute(
            _STATION.where(station_registry.c.installation_id == installation_id).order_by(
                stations.c.identity
            )
        )
        return [StationRow(*row) for row in rows]

    def stations_of(self, company_ids: frozenset[int], email: str) -> list[StationRow]:
        """Stations with a grant to one of these companies or to this address, or added by one of them."""
        granted = sa.select(station_grants.c.station_id).where(
            station_grants.c.company_id.in_(company_ids) | (station_grants.c.email == email)
        )
        added = sa.select(station_registry.c.station_id).where(
            station_registry.c.added_by_company_id.in_(company_ids)
        )
        rows = self.conn.execute(
            _STATION.where(stations.c.id.in_(granted.union(added))).order_by(stations.c.identity)
        )
        return [StationRow(*row) for row in rows]

    def connectors(self, station_id: int) -> list[ConnectorRecord]:
        rows = self.conn.execute(
            sa.select(connectors.c.evse_id, connectors.c.connector_id, connectors.c.status)
            .where(connectors.c.station_id == station_id)
            .order_by(connectors.c.evse_id, connectors.c.connector_id)
        )
        return [ConnectorRecord(*row) for row in rows]

    def set_id_types(self, station_id: int, pin: bool, rfid: bool) -> None:
        self.conn.execute(
            sa.update(stations).where(stations.c.id == station_id).values(pin_enabled=pin, rfid_enabled=rfid)
        )

    # -- grants ------------------------------------------------------------------------------------

    def grants(self, station_id: int) -> list[GrantRecord]:
        rows = self.conn.execute(
            sa.select(station_grants)
            .where(station_grants.c.station_id == station_id)
            .order_by(station_grants.c.id)
        )
        return [
            GrantRecord(r.id, r.role, r.company_id, r.user_id, r.email, r.granted_by, r.granted_at, r.reason)
            for r in rows
        ]

    def add_grant(
        self, station_id: int, grant: dict[str, Any], by: int | None, at: datetime, reason: str
    ) -> None:
        values = {"company_id": None, "user_id": None, "email": None} | grant
        self.conn.execute(
            sa.insert(station_grants).values(
                station_id=station_id, granted_by=by, granted_at=at, reason=reason, **values
            )
        )

    def remove_grants(self, station_id: int, role: str) -> None:
        self.conn.execute(
            sa.delete(station_grants).where(
                (station_grants.c.station_id == station_id) & (station_grants.c.role == role)
            )
        )

    # -- settings ----------------------------------------------------------------------------------

    def settings(self, station_id: int) -> list[SettingRecord]:
        rows = self.conn.execute(
            sa.select(station_settings)
            .where(station_settings.c.station_id == station_id)
            .order_by(station_settings.c.name)
        )
        return [
            SettingRecord(
                r.name, r.desired, r.reported, r.push_status, r.push_detail, r.changed_at, r.pushed_at
            )
            for r in rows
        ]

    def set_desired(self, station_id: int, name: str, value: str, at: datetime) -> str | None:
        """Store the wanted value; the previous one (None if it was never set)."""
        key = (station_settings.c.station_id == station_id) & (station_settings.c.name == name)
        old: str | None = self.conn.scalar(sa.select(station_settings.c.desired).where(key))
        if old is None:
            self.conn.execute(
                sa.insert(station_settings).values(
                    station_id=station_id, name=name, desired=value, push_status="pending", changed_at=at
                )
            )
        else:
            self.conn.execute(
                sa.update(station_settings)
                .where(key)
                .values(desired=value, push_status="pending", changed_at=at)
            )
        return old

    def record_push(
        self, station_id: int, name: str, sent: str, status: str, detail: str | None, at: datetime
    ) -> None:
        key = (station_settings.c.station_id == station_id) & (station_settings.c.name == name)
        values: dict[str, Any] = {"push_status": status, "push_detail": detail, "pushed_at": at}
        if status == Status.ACCEPTED:
            values["reported"] = sent
        # Only if nobody changed the wish meanwhile: a newer desired value stays pending.
        self.conn.execute(
            sa.update(station_settings).where(key & (station_settings.c.desired == sent)).values(**values)
        )

    def set_reported(self, station_id: int, name: str, value: str) -> None:
        """What the station said its value is, when asked (GetConfiguration / GetVariables)."""
        key = (station_settings.c.station_id == station_id) & (station_settings.c.name == name)
        self.conn.execute(sa.update(station_settings).where(key).values(reported=value))

    # -- audit -------------------------------------------------------------------------------------

    def audit(
        self, station_id: int, actor: int | None, kind: str, subject: str, old: str | None, new: str | None,
        reason: str | None, at: datetime,
    ) -> None:  # fmt: skip
        self.conn.execute(
            sa.insert(station_audit).values(
                station_id=station_id,
                actor_id=actor,
                kind=kind,
                subject=subject,
                old=old,
                new=new,
                reason=reason,
                at=at,
            )
        )

    def audit_trail(self, station_id: int) -> list[AuditRecord]:
        rows = self.conn.execute(
            sa.select(station_audit, users.c.email.label("actor_email"))
            .select_from(station_audit.outerjoin(users, users.c.id == station_audit.c.actor_id))
            .where(station_audit.c.station_id == station_id)
            .order_by(station_audit.c.id)
        )
        return [
            AuditRecord(r.id, r.actor_id, r.actor_email, r.kind, r.subject, r.old, r.new, r.reason, r.at)
            for r in rows
        ]

    # -- handover invitations ------------------------------------------------------------------------

    def add_invitation(
        self, token_hash: str, station_id: int, email: str, by: int | None, at: datetime
    ) -> None:
        self.conn.execute(
            sa.insert(handover_invitations).values(
                token_hash=token_hash, station_id=station_id, email=email, invited_by=by, created_at=at
            )
        )

    def open_invitation(self, token_hash: str, at: datetime) -> tuple[int, str, datetime] | None:
        """The invitation's station, email and creation time; marks it opened the first time."""
        row = self._one(
            sa.select(handover_invitations).where(handover_invitations.c.token_hash == token_hash)
        )
        if row is None:
            return None
        if row.opened_at is None:
            self.conn.execute(
                sa.update(handover_invitations)
                .where(handover_invitations.c.token_hash == token_hash)
                .values(opened_at=at)
            )
        return int(row.station_id), str(row.email), row.created_at

    # -- meter values (local users and identifications: `LocalUsersTx`) --------------------------------

    def meter_samples(self, station_id: int, limit: int = 100) -> list[MeterSample]:
        rows = self.conn.execute(
            sa.select(
                meter_values.c.timestamp,
                meter_values.c.evse_id,
                meter_values.c.measurand,
                meter_values.c.phase,
                meter_values.c.unit,
                meter_values.c.value,
            )
            .where(meter_values.c.station_id == station_id)
            .order_by(meter_values.c.id.desc())
            .limit(limit)
        )
        return [MeterSample(*row) for row in rows]
