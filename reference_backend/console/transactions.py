"""A station's transactions in the console: what was recorded, and ending one the station abandoned.

Listing needs `view_settings` (meter values are the matrix's every-role exception); ending needs
`end_transaction`. Ending records the transaction as ended by the CSMS with the operator's reason and
the last meter reading known (`domain.transactions`, rule "operator"); the station is not asked
(that is a remote stop), and its own Stop / Ended, if it ever comes, is still recorded. Audited.
"""

from __future__ import annotations

from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.station_access import StationAccess, Stations, require
from evharness.reference_backend.domain.permissions import Action
from evharness.reference_backend.domain.problems import Conflict, NotFound
from evharness.reference_backend.domain.transactions import Ending, ending
from evharness.reference_backend.persistence import Store, TransactionRecord


def listed(store: Store, access: StationAccess) -> list[TransactionRecord]:
    """Every transaction of the station, newest first."""
    return list(reversed(store.transactions(access.identity)))


def end_transaction(
    stations: Stations, store: Store, caller: Caller | None, identity: str, transaction_id: int, reason: str
) -> TransactionRecord:
    """End a running transaction as the CSMS (`caller` None: the backend operator's token)."""
    if caller is not None:
        require(stations, caller, identity, [Action.END_TRANSACTION])
    station_id = store.find_station_id(identity)
    if station_id is None:
        raise NotFound(f"no station {identity!r}")
    found = store.transaction(station_id, transaction_id)
    if found is None:
        raise NotFound(f"station {identity} has no transaction {transaction_id}")
    if not found.running:
        raise Conflict(f"transaction {transaction_id} of station {identity} is not running ({found.state})")
    end = ending(Ending.OPERATOR, reason)
    if not store.end_by_csms([transaction_id], stations.now(), end.stop_reason, end.note):
        raise Conflict(f"transaction {transaction_id} of station {identity} ended meanwhile")
    with stations.store.begin() as tx:
        row = tx.station(identity)
        if row is not None:
            who = caller.id if caller is not None else None
            tx.audit(
                row.id, who, "transaction", str(transaction_id), "running", "ended", reason, stations.now()
            )
    ended = store.transaction(station_id, transaction_id)
    assert ended is not None
    return ended
