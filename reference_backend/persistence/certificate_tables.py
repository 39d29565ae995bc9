"""Tables of certificates and security events (issue 15): the CSMS's CA, the certificates it signed
for each station, and the security events stations reported. They join `tables.metadata`."""

from __future__ import annotations

import sqlalchemy as sa

from evharness.reference_backend.persistence.tables import UtcDateTime, metadata

certificate_authority = sa.Table(
    "certificate_authority",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),  # one row: the CA in use
    sa.Column("certificate_pem", sa.Text, nullable=False),
    sa.Column("key_pem", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

issued_certificates = sa.Table(
    "issued_certificates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("station_id", sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False),
    # ChargingStationCertificate | V2GCertificate (1.6: ChargingStationCertificate)
    sa.Column("certificate_type", sa.String(32), nullable=False),
    sa.Column("serial_number", sa.String(64), nullable=False),
    sa.Column("chain_pem", sa.Text, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("issued_at", UtcDateTime, nullable=False),
    sa.Index(None, "station_id"),
)

security_events = sa.Table(
    "security_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("station_id", sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False),
    sa.Column("type", sa.String(50), nullable=False),
    sa.Column("happened_at", UtcDateTime, nullable=False),  # the station's timestamp
    sa.Column("tech_info", sa.String(255)),
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Index(None, "station_id", "received_at"),
)

contract_authorizations = sa.Table(
    "contract_authorizations",
    metadata,
    sa.Column("station_id", sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False),
    sa.Column("emaid", sa.String(255), nullable=False),
    sa.Column("accepted_at", UtcDateTime, nullable=False),  # its contract certificate was good (C07)
    sa.PrimaryKeyConstraint("station_id", "emaid"),
)
