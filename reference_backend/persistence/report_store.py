"""The store's station reports and files: a part of `Store` (it inherits this) and of the console's
`StationTx` (`ReportsTx`).

Written at once (engine.begin): these messages are rare and each is answered only once it is kept.
What it relies on from `Store`: `engine`, `reader`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from evharness.reference_backend.persistence.report_tables import (
    firmware_files,
    station_files,
    station_reports,
)


@dataclass(frozen=True, slots=True)
class ReportRecord:
    id: int
    action: str
    status: str | None
    request_id: int | None
    payload: dict[str, Any]
    received_at: datetime


@dataclass(frozen=True, slots=True)
class FileRecord:
    id: int
    filename: str
    size: int
    received_at: datetime


class ReportRecords:
    engine: sa.Engine
    reader: sa.Engine

    def record_report(
        self,
        station_id: int,
        action: str,
        status: str | None,
        request_id: int | None,
        payload: dict[str, Any],
        at: datetime,
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(station_reports).values(
                    station_id=station_id,
                    action=action,
                    status=status,
                    request_id=request_id,
                    payload=payload,
                    received_at=at,
                )
            )

    def reports(self, station_id: int, action: str | None = None, limit: int = 200) -> list[ReportRecord]:
        with self.reader.connect() as conn:
            return reports_of(conn, station_id, action, limit)


class ReportsTx:
    """The console's reads and the uploads (a part of `StationTx`)."""

    conn: sa.Connection

    def reports(self, station_id: int, action: str | None = None, limit: int = 200) -> list[ReportRecord]:
        return reports_of(self.conn, station_id, action, limit)

    def files(self, station_id: int) -> list[FileRecord]:
        query = (
            sa.select(
                station_files.c.id,
                station_files.c.filename,
                station_files.c.size,
                station_files.c.received_at,
            )
            .where(station_files.c.station_id == station_id)
            .order_by(station_files.c.id.desc())
        )
        return [FileRecord(*row) for row in self.conn.execute(query)]

    def file(self, station_id: int, file_id: int) -> tuple[str, bytes] | None:
        query = sa.select(station_files.c.filename, station_files.c.content).where(
            station_files.c.station_id == station_id, station_files.c.id == file_id
        )
        row = self.conn.execute(query).first()
        return None if row is None else (row.filename, bytes(row.content))

    def add_file(self, station_id: int, filename: str, content: bytes, at: datetime) -> int:
        result = self.conn.execute(
            sa.insert(station_files).values(
                station_id=station_id,
                filename=filename,
                size=len(content),
                content=content,
                received_at=at,
            )
        )
        (key,) = result.inserted_primary_key or (0,)
        return int(key)

    def put_firmware(self, name: str, content: bytes, at: datetime) -> None:
        self.conn.execute(sa.delete(firmware_files).where(firmware_files.c.name == name))
        self.conn.execute(sa.insert(firmware_files).values(name=name, content=content, uploaded_at=at))

    def firmware(self, name: str) -> bytes | None:
        row = self.conn.execute(
            sa.select(firmware_files.c.content).where(firmware_files.c.name == name)
        ).first()
        return None if row is None else bytes(row.content)


def reports_of(conn: sa.Connection, station_id: int, action: str | None, limit: int) -> list[ReportRecord]:
    """The station's reports (of one action, if given), newest first."""
    query = sa.select(station_reports).where(station_reports.c.station_id == station_id)
    if action is not None:
        query = query.where(station_reports.c.action == action)
    rows = conn.execute(query.order_by(station_reports.c.id.desc()).limit(limit))
    return [ReportRecord(r.id, r.action, r.status, r.request_id, r.payload, r.received_at) for r in rows]
