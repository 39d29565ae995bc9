"""The store's certificates and security events: a part of `Store` (it inherits this).

Written at once (engine.begin): they are rare, and an answer (SignCertificate's CertificateSigned,
an event the operator lists) follows from them. What it relies on from `Store`: `engine`, `reader`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from evharness.reference_backend.domain.certificates import Authority, Issued, new_authority
from evharness.reference_backend.persistence.certificate_tables import (
    certificate_authority,
    contract_authorizations,
    issued_certificates,
    security_events,
)


@dataclass(frozen=True, slots=True)
class SecurityEventRecord:
    type: str
    happened_at: datetime
    tech_info: str | None
    received_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedRecord:
    certificate_type: str
    serial_number: str
    expires_at: datetime
    issued_at: datetime


class CertificateRecords:
    engine: sa.Engine
    reader: sa.Engine

    def certificate_authority(self, at: datetime) -> Authority:
        """The CA in use: the stored one, else a new one, stored (two first callers: one wins)."""
        query = sa.select(certificate_authority).where(certificate_authority.c.id == 1)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is not None:
            return Authority(row.certificate_pem, row.key_pem)
        made = new_authority(at.timestamp())
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    sa.insert(certificate_authority).values(
                        id=1, certificate_pem=made.certificate_pem, key_pem=made.key_pem, created_at=at
                    )
                )
        except sa.exc.IntegrityError:
            return self.certificate_authority(at)
        return made

    def use_certificate_authority(self, authority: Authority, at: datetime) -> None:
        """The operator's own CA replaces the one in use."""
        with self.engine.begin() as conn:
            conn.execute(sa.delete(certificate_authority))
            conn.execute(
                sa.insert(certificate_authority).values(
                    id=1, certificate_pem=authority.certificate_pem, key_pem=authority.key_pem, created_at=at
                )
            )

    def record_issued(self, station_id: int, certificate_type: str, issued: Issued, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(issued_certificates).values(
                    station_id=station_id,
                    certificate_type=certificate_type,
                    serial_number=issued.serial_number,
                    chain_pem=issued.chain,
                    expires_at=datetime.fromtimestamp(issued.expires_at, UTC),
                    issued_at=at,
                )
            )

    def issued(self, station_id: int) -> list[IssuedRecord]:
        with self.reader.connect() as conn:
            return issued_of(conn, station_id)

    def record_security_event(
        self, station_id: int, event_type: str, happened_at: datetime, tech_info: str | None, at: datetime
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(security_events).values(
                    station_id=station_id,
                    type=event_type,
                    happened_at=happened_at,
                    tech_info=tech_info,
                    received_at=at,
                )
            )

    def security_events(self, station_id: int, limit: int = 100) -> list[SecurityEventRecord]:
        with self.reader.connect() as conn:
            return security_events_of(conn, station_id, limit)

    def accept_contract(self, station_id: int, emaid: str, at: datetime) -> None:
        """C07: the eMAID's contract certificate was good at `at`."""
        key = (contract_authorizations.c.station_id == station_id) & (
            contract_authorizations.c.emaid == emaid
        )
        with self.engine.begin() as conn:
            conn.execute(sa.delete(contract_authorizations).where(key))
            conn.execute(
                sa.insert(contract_authorizations).values(station_id=station_id, emaid=emaid, accepted_at=at)
            )

    def contract_accepted_at(self, station_id: int, emaid: str) -> datetime | None:
        key = (contract_authorizations.c.station_id == station_id) & (
            contract_authorizations.c.emaid == emaid
        )
        with self.reader.connect() as conn:
            found: datetime | None = conn.scalar(sa.select(contract_authorizations.c.accepted_at).where(key))
        return found


class CertificatesTx:
    """The console's reads (a part of `StationTx`)."""

    conn: sa.Connection

    def security_events(self, station_id: int, limit: int = 100) -> list[SecurityEventRecord]:
        return security_events_of(self.conn, station_id, limit)

    def issued_certificates(self, station_id: int) -> list[IssuedRecord]:
        return issued_of(self.conn, station_id)


def security_events_of(conn: sa.Connection, station_id: int, limit: int) -> list[SecurityEventRecord]:
    """The station's security events, newest first."""
    query = (
        sa.select(security_events)
        .where(security_events.c.station_id == station_id)
        .order_by(security_events.c.id.desc())
        .limit(limit)
    )
    rows = conn.execute(query)
    return [SecurityEventRecord(r.type, r.happened_at, r.tech_info, r.received_at) for r in rows]


def issued_of(conn: sa.Connection, station_id: int) -> list[IssuedRecord]:
    """The certificates the CSMS signed for the station, newest first."""
    query = (
        sa.select(issued_certificates)
        .where(issued_certificates.c.station_id == station_id)
        .order_by(issued_certificates.c.id.desc())
    )
    rows = conn.execute(query)
    return [IssuedRecord(r.certificate_type, r.serial_number, r.expires_at, r.issued_at) for r in rows]


def _contract(station_id: int, emaid: str) -> sa.ColumnElement[bool]:
    table = contract_authorizations.c
    return (table.station_id == station_id) & (table.emaid == emaid)
