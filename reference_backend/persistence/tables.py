"""The backend's tables, as SQLAlchemy Core, for SQLite and PostgreSQL alike.

Every timestamp is stored as UTC (`UtcDateTime`). A 1.6 connector maps to a 2.0.1 EVSE with one
connector (`evse_id` = 1.6 connectorId, `connector_id` = 1), as the OCPP 2.0.1 migration notes do;
1.6 connectorId 0 is the station itself and its status lives on `stations`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; SQLite keeps them as naive UTC text."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store takes UTC-aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# SQLite only autoincrements an INTEGER PRIMARY KEY; elsewhere meter values may outgrow 32 bits.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _station_fk() -> sa.Column[int]:
    return sa.Column("station_id", sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False)


stations = sa.Table(
    "stations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("identity", sa.String(48), nullable=False, unique=True),
    sa.Column("protocol", sa.String(8)),  # "1.6", "2.0.1", "2.1"; null until the first boot
    sa.Column("vendor", sa.String(50)),
    sa.Column("model", sa.String(50)),
    sa.Column("serial_number", sa.String(50)),
    sa.Column("firmware_version", sa.String(50)),
    sa.Column("boot_reason", sa.String(32)),
    sa.Column("registered_at", UtcDateTime, nullable=False),
    sa.Column("booted_at", UtcDateTime),
    sa.Column("last_heartbeat_at", UtcDateTime),
    sa.Column("status", sa.String(32)),  # 1.6 StatusNotification on connectorId 0
    sa.Column("error_code", sa.String(50)),
    sa.Column("status_at", UtcDateTime),
    # Supported identification types (seed 001): both enabled until someone says otherwise.
    sa.Column("pin_enabled", sa.Boolean, nullable=False, default=True, server_default=sa.true()),
    sa.Column("rfid_enabled", sa.Boolean, nullable=False, default=True, server_default=sa.true()),
    # Security profile 1 (HTTP Basic): a salted hash, never the password; null = no credentials asked.
    sa.Column("basic_auth_hash", sa.String(200)),
)

connectors = sa.Table(
    "connectors",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _station_fk(),
    sa.Column("evse_id", sa.Integer, nullable=False),
    sa.Column("connector_id", sa.Integer, nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("error_code", sa.String(50)),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("station_id", "evse_id", "connector_id"),
)

local_users = sa.Table(
    "local_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _station_fk(),
    sa.Column("first_name", sa.String(100), nullable=False),
    sa.Column("last_name", sa.String(100), nullable=False),
    sa.Column("blocked", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
)

identifications = sa.Table(
    "identifications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("local_user_id", sa.ForeignKey("local_users.id", ondelete="CASCADE"), nullable=False),
    _station_fk(),
    sa.Column("type", sa.String(8), nullable=False),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("code_key", sa.String(64), nullable=False),  # upper-cased: idTokens are case-insensitive
    sa.Column("status", sa.String(8), nullable=False, default="active", server_default="active"),
    sa.Column("expires_at", UtcDateTime),
    # C09 / OCPP 1.6 §3.10: tokens sharing a group id authorize each other's transactions; sent as
    # groupIdToken (2.0.1) / parentIdTag (1.6). A master pass is a group (C16).
    sa.Column("group_id", sa.String(36)),
    sa.UniqueConstraint("station_id", "code_key"),
    sa.CheckConstraint("type IN ('pin', 'rfid')", name="type"),
    sa.CheckConstraint("status IN ('active', 'inactive')", name="status"),
)

# Tokens an operator provisions for a station beyond its local users' PINs and cards: 2.0.1 types
# Central, eMAID, MacAddress, Local, EVCCID (`domain.authorization.TOKEN_TYPES`). Unique per station by
# type and upper-cased code; on 1.6 (no types) an idTag finds one of any type.
station_tokens = sa.Table(
    "station_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _station_fk(),
    sa.Column("type", sa.String(20), nullable=False),
    sa.Column("code", sa.String(36), nullable=False),
    sa.Column("code_key", sa.String(36), nullable=False),
    sa.Column("status", sa.String(8), nullable=False, default="active", server_default="active"),
    sa.Column("expires_at", UtcDateTime),
    sa.Column("group_id", sa.String(36)),  # groupIdToken / parentIdTag: a group or master pass (C09, C16)
    sa.UniqueConstraint("station_id", "type", "code_key"),
    sa.CheckConstraint("status IN ('active', 'inactive')", name="status"),
)

transactions = sa.Table(
    "transactions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),  # the 1.6 transactionId
    sa.Column("transaction_ref", sa.String(64)),  # the 2.0.1 transactionId, chosen by the station
    _station_fk(),
    sa.Column("evse_id", sa.Integer),
    sa.Column("connector_id", sa.Integer),
    sa.Column("id_token", sa.String(255)),
    sa.Column("id_token_type", sa.String(20)),  # 2.0.1 IdTokenEnumType, or "pin"/"rfid" guessed on 1.6
    sa.Column("id_token_status", sa.String(20)),  # what the CSMS answered at the start
    sa.Column("identification_id", sa.ForeignKey("identifications.id", ondelete="SET NULL")),
    sa.Column("meter_start_wh", sa.Float),
    sa.Column("meter_last_wh", sa.Float),  # the latest register reading by time, as sent
    sa.Column("meter_last_at", UtcDateTime),  # when it was taken
    sa.Column("meter_stop_wh", sa.Float),
    sa.Column("started_at", UtcDateTime),
    sa.Column("stopped_at", UtcDateTime),
    sa.Column("stop_reason", sa.String(32)),
    sa.Column("state", sa.String(8), nullable=False, default="running"),
    # Who ended it: the station (Stop / Ended), or the CSMS for a transaction the station abandoned
    # (`domain.transactions`), with why in `end_note`; a late Stop / Ended still records the station's.
    sa.Column("ended_by", sa.String(8)),
    sa.Column("end_note", sa.String(255)),
    # Why the meter readings do not add up (a register that went backwards …), as first seen; null if they do.
    sa.Column("energy_problem", sa.String(255)),
    sa.UniqueConstraint("station_id", "transaction_ref"),
    sa.CheckConstraint("state IN ('running', 'ended')", name="state"),
    sa.CheckConstraint("ended_by IN ('station', 'csms')", name="ended_by"),
    sa.Index(None, "identification_id", "state"),
    sa.Index(None, "station_id", "state", "evse_id"),
    sqlite_autoincrement=True,  # never hand out a 1.6 transactionId twice
)

meter_values = sa.Table(
    "meter_values",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    _station_fk(),
    sa.Column("transaction_id", sa.ForeignKey("transactions.id", ondelete="CASCADE")),
    sa.Column("evse_id", sa.Integer),
    sa.Column("timestamp", UtcDateTime, nullable=False),
    sa.Column("measurand", sa.String(64), nullable=False),
    sa.Column("phase", sa.String(8)),
    sa.Column("unit", sa.String(20)),  # UnitOfMeasureType.unit: string[20]
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("context", sa.String(32), nullable=False),
    sa.Column("location", sa.String(16)),
    sa.Index(None, "transaction_id", "timestamp"),  # a transaction's readings by time (resent 1.6 ones)
)

# The 2.0.1 TransactionEvents handled, with the answer given: a station that got no answer sends the
# same event again (E13), and the same message — same seqNo, eventType and timestamp — is answered as
# before and stores nothing new. A different event that reuses a seqNo is stored (a station that
# breaks the seqNo rule must not lose its Ended). Written with the event's meter samples
# in one group commit (`Store._write`), so the two are stored together or not at all.
transaction_events = sa.Table(
    "transaction_events",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("transaction_id", sa.ForeignKey("transactions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("seq_no", sa.BigInteger, nullable=False),
    sa.Column("event_type", sa.String(8), nullable=False),
    sa.Column("timestamp", UtcDateTime, nullable=False),
    sa.Column("answer", sa.JSON, nullable=False),
    sa.UniqueConstraint("transaction_id", "seq_no", "event_type", "timestamp"),
)

# The Local Authorization List the backend last sent each station (D01/D02): its version and its
# entries as JSON, {code: [type, status, expiry ISO or null]}; no row = no list sent yet.
local_list_sync = sa.Table(
    "local_list_sync",
    metadata,
    sa.Column("station_id", sa.ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("entries", sa.JSON, nullable=False),
)

# The operator's boot policy for one station (`PUT /api/operations/{station}/boot-policy`), by identity:
# it may be chosen before the station first connects. No row: the backend's `--boot-policy` applies.
boot_policies = sa.Table(
    "boot_policies",
    metadata,
    sa.Column("identity", sa.String(48), primary_key=True),
    sa.Column("policy", sa.String(8), nullable=False),
    sa.Column("retry_interval", sa.Integer, nullable=False),
    sa.Column("trigger_boot", sa.Boolean, nullable=False),
    sa.CheckConstraint("policy IN ('accepted', 'pending', 'rejected')", name="policy"),
)

# Stations whose last BootNotification was answered Pending or Rejected: held back (B02.FR.09,
# B03.FR.07) until they boot again, also when they reconnect to a restarted backend. No row: not held.
boot_holds = sa.Table(
    "boot_holds",
    metadata,
    sa.Column("identity", sa.String(48), primary_key=True),
    sa.Column("answer", sa.String(8), nullable=False),
    sa.CheckConstraint("answer IN ('Pending', 'Rejected')", name="answer"),
)

# A station's security (docs/security.md), by identity: set before the station first connects, too.
# No row: the backend's `--security-profile`, no PINs in local lists on profile 0, no new password.
station_security = sa.Table(
    "station_security",
    metadata,
    sa.Column("identity", sa.String(48), primary_key=True),
    sa.Column("profile", sa.Integer),  # null: the backend's default
    sa.Column("pins_on_profile_0", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    # Password rotation: the hash of a new password the station accepted and has not connected with yet
    # (the old one in `stations.basic_auth_hash` stays valid until it does).
    sa.Column("new_password_hash", sa.String(200)),
    # Security profile upgrade (A05): the profile the station accepted to move to; enforced as its
    # profile from its first connection that proves it (A05.FR.09: no lower profile after that).
    sa.Column("upgrade_to", sa.Integer),
    sa.CheckConstraint("profile IS NULL OR profile IN (0, 1, 2, 3)", name="profile"),
)
