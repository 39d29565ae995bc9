"""The statements of the OCPP hot path, built once with bind parameters.

Building a Core statement costs more than running it on SQLite (~0.5 ms for the token lookup,
mostly operator overloading); a prebuilt one only costs its cache key. Parameters are named
`p_…` because SQLAlchemy reserves column names for the SET and VALUES clauses.
"""

from __future__ import annotations

import sqlalchemy as sa

from evharness.reference_backend.persistence.tables import (
    UtcDateTime,
    connectors,
    identifications,
    local_users,
    meter_values,
    station_tokens,
    stations,
    transaction_events,
    transactions,
)

RUNNING = "running"
ENDED = "ended"

# A write to `transactions` that keeps the store's cache of transaction records right by itself
# (`transaction_store.cached_transactions`); any other write to the table empties that cache.
KNOWN_OPTION = "evharness_cache_kept"
KNOWN = {KNOWN_OPTION: True}


def _at(name: str) -> sa.BindParameter[object]:
    return sa.bindparam(name, type_=UtcDateTime())


STATION_ID = sa.select(stations.c.id).where(stations.c.identity == sa.bindparam("p_identity"))

SET_HEARTBEAT = (
    sa.update(stations)
    .where(stations.c.id == sa.bindparam("p_station"))
    .values(last_heartbeat_at=_at("p_at"))
)

SET_STATION_STATUS = (
    sa.update(stations)
    .where(stations.c.id == sa.bindparam("p_station"))
    .values(status=sa.bindparam("p_status"), error_code=sa.bindparam("p_error"), status_at=_at("p_at"))
)

_CONNECTOR = (
    (connectors.c.station_id == sa.bindparam("p_station"))
    & (connectors.c.evse_id == sa.bindparam("p_evse"))
    & (connectors.c.connector_id == sa.bindparam("p_connector"))
)
SET_CONNECTOR_STATUS = (
    sa.update(connectors)
    .where(_CONNECTOR)
    .values(status=sa.bindparam("p_status"), error_code=sa.bindparam("p_error"), updated_at=_at("p_at"))
)
ADD_CONNECTOR = sa.insert(connectors).values(
    station_id=sa.bindparam("p_station"),
    evse_id=sa.bindparam("p_evse"),
    connector_id=sa.bindparam("p_connector"),
    status=sa.bindparam("p_status"),
    error_code=sa.bindparam("p_error"),
    updated_at=_at("p_at"),
)

# The station's enabled types, and the presented code's identification, user and whether a running
# transaction other than `p_exclude` uses it: every fact the decision needs, in one round trip.
_busy = sa.exists().where(
    (transactions.c.identification_id == identifications.c.id)
    & (transactions.c.state == RUNNING)
    & (transactions.c.id != sa.bindparam("p_exclude"))
)
_match = (
    (identifications.c.station_id == stations.c.id)
    & (identifications.c.code_key == sa.bindparam("p_code_key"))
    & (identifications.c.type == sa.bindparam("p_type"))
)
TOKEN_FACTS = (
    sa.select(
        stations.c.pin_enabled,
        stations.c.rfid_enabled,
        identifications.c.id.label("identification_id"),
        identifications.c.status,
        identifications.c.expires_at,
        identifications.c.group_id,
        local_users.c.blocked,
        _busy.label("busy"),
    )
    .select_from(
        stations.outerjoin(identifications, _match).outerjoin(
            local_users, local_users.c.id == identifications.c.local_user_id
        )
    )
    .where(stations.c.id == sa.bindparam("p_station"))
)

# A provisioned token of the station by code (and type, unless `p_any_type`: a 1.6 idTag has none),
# and whether a running transaction other than `p_exclude` was started with it.
_token_busy = sa.exists().where(
    (transactions.c.station_id == station_tokens.c.station_id)
    & (transactions.c.state == RUNNING)
    & transactions.c.identification_id.is_(None)
    & (sa.func.upper(transactions.c.id_token) == station_tokens.c.code_key)
    & (transactions.c.id != sa.bindparam("p_exclude"))
)
PROVISIONED_FACTS = (
    sa.select(
        station_tokens.c.status,
        station_tokens.c.expires_at,
        station_tokens.c.group_id,
        _token_busy.label("busy"),
    )
    .where(
        (station_tokens.c.station_id == sa.bindparam("p_station"))
        & (station_tokens.c.code_key == sa.bindparam("p_code_key"))
        & (sa.bindparam("p_any_type", type_=sa.Boolean) | (station_tokens.c.type == sa.bindparam("p_type")))
    )
    .order_by(station_tokens.c.id)
    .limit(1)
)

TRANSACTION_BY_REF = sa.select(transactions).where(
    (transactions.c.station_id == sa.bindparam("p_station"))
    & (transactions.c.transaction_ref == sa.bindparam("p_ref"))
)
TRANSACTION_BY_KEY = sa.select(transactions).where(transactions.c.id == sa.bindparam("p_id"))
TRANSACTION_BY_ID = sa.select(transactions).where(
    (transactions.c.station_id == sa.bindparam("p_station")) & (transactions.c.id == sa.bindparam("p_id"))
)
RUNNING_ON_EVSE = (
    sa.select(transactions.c.id)
    .where(
        (transactions.c.station_id == sa.bindparam("p_station"))
        & (transactions.c.state == RUNNING)
        & (transactions.c.evse_id == sa.bindparam("p_evse"))
    )
    .order_by(transactions.c.id.desc())
    .limit(1)
)

ASSIGN_TOKEN = (
    sa.update(transactions)
    .execution_options(**KNOWN)
    .where((transactions.c.id == sa.bindparam("p_id")) & transactions.c.id_token.is_(None))
    .values(
        id_token=sa.bindparam("p_token"),
        id_token_type=sa.bindparam("p_token_type"),
        id_token_status=sa.bindparam("p_status"),
        identification_id=sa.bindparam("p_identification"),
    )
)

# A message's meter change (`domain.metering.MeterChange`), in three statements run for many
# transactions at once: the start the station gave (only where none is known yet), the latest reading
# by time (an older one arriving late moves nothing), the first problem seen.
SET_METER_START = (
    sa.update(transactions)
    .execution_options(**KNOWN)
    .where((transactions.c.id == sa.bindparam("p_id")) & transactions.c.meter_start_wh.is_(None))
    .values(meter_start_wh=sa.bindparam("p_start", type_=sa.Float()))
)
_last_at = transactions.c.meter_last_at
SET_METER_LAST = (
    sa.update(transactions)
    .execution_options(**KNOWN)
    .where(
        (transactions.c.id == sa.bindparam("p_id")) & (_last_at.is_(None) | (_last_at <= _at("p_last_at")))
    )
    .values(meter_last_wh=sa.bindparam("p_last", type_=sa.Float()), meter_last_at=_at("p_last_at"))
)
SET_ENERGY_PROBLEM = (
    sa.update(transactions)
    .execution_options(**KNOWN)
    .where((transactions.c.id == sa.bindparam("p_id")) & transactions.c.energy_problem.is_(None))
    .values(energy_problem=sa.bindparam("p_problem"))
)

# The readings a transaction holds in a span of time: what a resent 1.6 message would repeat.
_stamp = meter_values.c.timestamp
READINGS = sa.select(
    _stamp,
    meter_values.c.measurand,
    meter_values.c.phase,
    meter_values.c.unit,
    meter_values.c.value,
    meter_values.c.context,
    meter_values.c.location,
).where(
    (meter_values.c.transaction_id == sa.bindparam("p_transaction"))
    & (_stamp >= _at("p_from"))
    & (_stamp <= _at("p_to"))
)
LATEST_READING = sa.select(sa.func.max(_stamp, type_=UtcDateTime())).where(
    meter_values.c.transaction_id == sa.bindparam("p_transaction")
)

EVENT_ANSWER = sa.select(transaction_events.c.answer).where(
    (transaction_events.c.transaction_id == sa.bindparam("p_transaction"))
    & (transaction_events.c.seq_no == sa.bindparam("p_seq"))
    & (transaction_events.c.event_type == sa.bindparam("p_type"))
    & (transaction_events.c.timestamp == _at("p_at"))
)
EVENT_IDS = sa.select(
    transaction_events.c.seq_no, transaction_events.c.event_type, transaction_events.c.timestamp
).where(transaction_events.c.transaction_id == sa.bindparam("p_transaction"))

# Transactions running on an EVSE (a 1.6 connector), with their start: `domain.transactions` decides
# which of them a new transaction there ends.
RUNNING_HERE = sa.select(transactions.c.id, transactions.c.started_at).where(
    (transactions.c.station_id == sa.bindparam("p_station"))
    & (transactions.c.state == RUNNING)
    & (transactions.c.evse_id == sa.bindparam("p_evse"))
)
RUNNING_AT_STATION = sa.select(transactions.c.id).where(
    (transactions.c.station_id == sa.bindparam("p_station")) & (transactions.c.state == RUNNING)
)
