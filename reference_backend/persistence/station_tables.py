"""Tables of station access (issue 4): registration and placement, role grants, desired settings and
their pushes, handover invitations, and the audit trail. They join `tables.metadata` like the rest."""

from __future__ import annotations

import sqlalchemy as sa

from evharness.reference_backend.persistence.tables import UtcDateTime, metadata


def _station_fk() -> sa.Column[int]:
    return sa.Column("station_id", sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False)


def _ref(name: str, table: str) -> sa.Column[int]:
    return sa.Column(name, sa.ForeignKey(f"{table}.id", ondelete="SET NULL"))


station_registry = sa.Table(
    "station_registry",
    metadata,
    sa.Column("station_id", sa.ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("claim_code_hash", sa.String(64)),  # null: known only by connecting (claim with the serial)
    _ref("partner_company_id", "companies"),  # who supplied it
    _ref("installation_id", "installations"),
    _ref("added_by_company_id", "companies"),
    sa.Column("registered_at", UtcDateTime, nullable=False),
)

station_grants = sa.Table(
    "station_grants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _station_fk(),
    sa.Column("role", sa.String(32), nullable=False),
    _ref("company_id", "companies"),
    _ref("user_id", "users"),
    sa.Column("email", sa.String(254)),
    _ref("granted_by", "users"),
    sa.Column("granted_at", UtcDateTime, nullable=False),
    sa.Column("reason", sa.String(200), nullable=False),
    sa.Index(None, "station_id"),
)

station_settings = sa.Table(
    "station_settings",
    metadata,
    _station_fk(),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("desired", sa.String(200), nullable=False),
    sa.Column("reported", sa.String(200)),
    sa.Column("push_status", sa.String(16), nullable=False),  # pending | Accepted | Rejected | … | failed
    sa.Column("push_detail", sa.String(300)),
    sa.Column("changed_at", UtcDateTime, nullable=False),
    sa.Column("pushed_at", UtcDateTime),
    sa.PrimaryKeyConstraint("station_id", "name"),
)

handover_invitations = sa.Table(
    "handover_invitations",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    _station_fk(),
    sa.Column("email", sa.String(254), nullable=False),
    _ref("invited_by", "users"),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("opened_at", UtcDateTime),
)

station_audit = sa.Table(
    "station_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _station_fk(),
    _ref("actor_id", "users"),
    sa.Column("kind", sa.String(16), nullable=False),  # setting | role | station | operation
    sa.Column("subject", sa.String(64), nullable=False),
    sa.Column("old", sa.String(300)),
    sa.Column("new", sa.String(300)),
    sa.Column("reason", sa.String(300)),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Index(None, "station_id"),
)

STATION_ACCESS_TABLES = (
    station_registry,
    station_grants,
    station_settings,
    handover_invitations,
    station_audit,
)
