"""The transaction messages a station still owes the CSMS, as plain data that survives a restart.

`snapshot` turns the station's waiting transaction messages (in flight first) into JSON-able
entries, building their payloads now; `restore` puts them back in front of the queue of a freshly
started station, as `RestoredNote`s. A 1.6 StopTransaction or MeterValues whose StartTransaction was
not yet answered carries `link` and `needs_id`: the transactionId the CSMS gives the restored
StartTransaction is patched in when the message goes out (1.6 §3.7: order and ids survive).
The driver (not this module) writes the entries to disk whenever the outbox's revision moves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evharness.ocppj.frames import Payload
from simulator.core.codec import VersionRules
from simulator.core.notes import Answer, RestoredNote, TokenAnswer, TransactionNote, TxMoment
from simulator.core.outbox import QueuedCall

PayloadOf = Callable[[QueuedCall], Payload]


def snapshot(calls: list[QueuedCall], payload_of: PayloadOf, rules: VersionRules) -> list[dict[str, Any]]:
    entries = []
    for call in calls:
        note = call.note
        link, needs_id = None, False
        if isinstance(note, RestoredNote):
            link, needs_id = note.link, note.needs_id
        elif isinstance(note, TransactionNote):
            transaction = note.transaction
            link = transaction.local_id
            needs_id = (
                rules.csms_assigns_transaction_id
                and transaction.csms_id is None
                and note.moment in (TxMoment.METER, TxMoment.ENDED)
            )
        entries.append(
            {"action": call.action, "payload": payload_of(call), "link": link, "needs_id": needs_id}
        )
    return entries


def restored(entries: list[dict[str, Any]]) -> list[QueuedCall]:
    """The entries as calls to queue ahead of anything else."""
    return [
        QueuedCall(
            entry["action"],
            RestoredNote(entry["action"], entry["payload"], entry.get("link"), bool(entry.get("needs_id"))),
            transactional=True,
            restored=True,
        )
        for entry in entries
    ]


def payload_now(note: RestoredNote, known_ids: dict[str, int]) -> Payload:
    """The restored payload, with the transactionId its restored StartTransaction got, once known."""
    known = known_ids.get(note.link or "") if note.needs_id else None
    return note.payload if known is None else {**note.payload, "transactionId": known}


def learn(note: RestoredNote, answer: Answer, known_ids: dict[str, int]) -> None:
    """Keep the transactionId the CSMS gave a restored StartTransaction, for the messages linked to it."""
    if note.link is not None and isinstance(answer, TokenAnswer) and answer.transaction_id is not None:
        known_ids[note.link] = answer.transaction_id
