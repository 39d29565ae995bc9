"""Tables of what stations report about firmware, logs, monitoring and customer information
(issue 15), the files they upload and the firmware files the backend serves. They join
`tables.metadata`."""

from __future__ import annotations

import sqlalchemy as sa

from evharness.reference_backend.persistence.tables import UtcDateTime, metadata

# Every station-initiated message of these blocks, as received: FirmwareStatusNotification,
# Signed…, Diagnostics/LogStatusNotification, PublishFirmwareStatusNotification, NotifyEvent,
# NotifyMonitoringReport, NotifyCustomerInformation, NotifyReport.
station_reports = sa.Table(
    "station_reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("station_id", sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False),
    sa.Column("action", sa.String(48), nullable=False),
    sa.Column("status", sa.String(40)),  # the message's status, if it has one
    sa.Column("request_id", sa.Integer),  # the CSMS request it answers, if any
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Index(None, "station_id", "action"),
)

# Files stations uploaded to the backend (GetLog / GetDiagnostics to `/files/logs/{identity}/`).
station_files = sa.Table(
    "station_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("station_id", sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Index(None, "station_id"),
)

# Firmware images the operator put on the backend, served at `/files/firmware/{name}`.
firmware_files = sa.Table(
    "firmware_files",
    metadata,
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("uploaded_at", UtcDateTime, nullable=False),
)
