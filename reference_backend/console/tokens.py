"""The tokens provisioned for a station beyond PIN and RFID (`domain.provisioned_tokens`): the use cases.

Every role may list them (`view_settings`); provisioning and removing need `manage_tokens`. Each
change is one transaction — the matrix check, the rules (422 naming the field), the write and its audit
entry — so a refusal changes nothing. Provisioning a token the station has (same type and code) changes
its status, expiry and group. The backend decides a presented token from them at once
(`domain.authorization`), and they are entries of the station's local authorization list: a change
syncs it (`Stations.on_identifications_changed`). The backend operator's CLI (`evharness tokens`)
writes through `put` and `drop` with no caller (the list follows at the station's next registration).
"""

from __future__ import annotations

from datetime import datetime

from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.station_access import StationAccess, Stations, check
from evharness.reference_backend.domain.permissions import Action
from evharness.reference_backend.domain.problems import NotFound
from evharness.reference_backend.domain.provisioned_tokens import TokenSpec, label
from evharness.reference_backend.persistence.station_access import StationTx
from evharness.reference_backend.persistence.station_records import TokenRecord

MANAGE = [Action.MANAGE_TOKENS]


def tokens(stations: Stations, access: StationAccess) -> list[TokenRecord]:
    with stations.store.begin() as tx:
        return tx.tokens(access.station.id)


def provision(stations: Stations, caller: Caller, identity: str, spec: TokenSpec) -> tuple[TokenRecord, bool]:
    """The token as stored, and True if it is new."""
    with stations.store.begin() as tx:
        station_id = check(tx, caller, identity, MANAGE).station.id
        stored = put(tx, station_id, caller.id, spec, stations.now())
    _list_changed(stations, identity)
    return stored


def remove(stations: Stations, caller: Caller, identity: str, token_id: int) -> TokenRecord:
    with stations.store.begin() as tx:
        station_id = check(tx, caller, identity, MANAGE).station.id
        found = tx.token(station_id, token_id)
        if found is None:
            raise NotFound(f"no token {token_id} at station {identity!r}")
        drop(tx, station_id, caller.id, found, stations.now())
    _list_changed(stations, identity)
    return found


def _list_changed(stations: Stations, identity: str) -> None:
    if stations.on_identifications_changed is not None:
        stations.on_identifications_changed(identity)


def put(
    tx: StationTx, station_id: int, actor: int | None, spec: TokenSpec, now: datetime
) -> tuple[TokenRecord, bool]:
    """Store the token (audited); `actor` None: the backend operator."""
    token_id, created = tx.put_token(
        station_id, spec.type, spec.code, spec.status, spec.expires_at, spec.group_id
    )
    stored = tx.token(station_id, token_id)
    assert stored is not None
    new = f"{stored.status}, expires {stored.expires_at or 'never'}, group {stored.group_id or 'none'}"
    tx.audit(station_id, actor, "token", label(stored.type, stored.code), None, new, None, now)
    return stored, created


def drop(tx: StationTx, station_id: int, actor: int | None, token: TokenRecord, now: datetime) -> None:
    """Remove the token (audited)."""
    tx.remove_token(station_id, token.id)
    tx.audit(station_id, actor, "token", label(token.type, token.code), token.status, None, "removed", now)
