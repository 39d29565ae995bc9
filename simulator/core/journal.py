"""The transaction messages a station still owes the CSMS, as plain data that survives a restart.

`snapshot` turns the station's waiting transaction messages (in flight first) into JSON-able
entries, building lazily built payloads now; `restore` puts them back in front of the queue of a
freshly started station. A 1.6 StopTransaction or MeterValues whose StartTransaction was not yet
answered carries `link` and `needs_id`: the transactionId the CSMS gives the restored
StartTransaction is patched in when the message goes out (1.6 §3.7: order and ids survive).
The driver (not this module) writes the entries to disk whenever `station.queue_revision` moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evharness.ocppj.frames import Payload
from simulator.core.model import Transaction
from simulator.core.station import QueuedCall, Station


@dataclass(frozen=True, slots=True)
class Restored:
    """The context of a journal-restored message."""

    link: str | None
    needs_id: bool


def _transaction_of(context: Any) -> Transaction | None:
    if isinstance(context, tuple):
        return next((part for part in context if isinstance(part, Transaction)), None)
    return None


def snapshot(station: Station, now: float) -> list[dict[str, Any]]:
    entries = []
    for call in station.transactional_queue:
        payload = call.payload(now) if callable(call.payload) else call.payload
        if isinstance(call.context, Restored):
            link, needs_id = call.context.link, call.context.needs_id
        else:
            transaction = _transaction_of(call.context)
            link = transaction.local_id if transaction is not None else None
            needs_id = (
                transaction is not None
                and transaction.csms_id is None
                and call.action in ("StopTransaction", "MeterValues")
            )
        entries.append({"action": call.action, "payload": payload, "link": link, "needs_id": needs_id})
    return entries


def restore(station: Station, entries: list[dict[str, Any]]) -> int:
    """Queue the entries ahead of anything else; how many were restored."""
    calls = [_restored_call(station, entry) for entry in entries]
    station.restore_queue(calls)
    return len(calls)


def _restored_call(station: Station, entry: dict[str, Any]) -> QueuedCall:
    context = Restored(entry.get("link"), bool(entry.get("needs_id")))
    payload: Payload = entry["payload"]
    if not context.needs_id:
        return QueuedCall(entry["action"], payload, context, transactional=True, restored=True)

    def build(at: float) -> Payload:
        known = station.restored_ids.get(context.link or "")
        return payload if known is None else {**payload, "transactionId": known}

    return QueuedCall(entry["action"], build, context, transactional=True, restored=True)


def learn(station: Station, context: Any, payload: Payload) -> bool:
    """Handle the answer to a restored message; False when `context` is not a restored one."""
    if not isinstance(context, Restored):
        return False
    if context.link is not None and "transactionId" in payload and isinstance(payload["transactionId"], int):
        station.restored_ids[context.link] = payload["transactionId"]
    return True
