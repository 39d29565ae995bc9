"""The transaction messages a station still owes the CSMS, as plain data that survives a restart.

`snapshot` turns the station's waiting transaction messages (in flight first) into JSON-able
entries, building their payloads now; `restore` puts them back in front of the queue of a freshly
started station, as `RestoredNote`s. A 1.6 StopTransaction or MeterValues whose StartTransaction was
not yet answered carries `link` and `needs_id`: the transactionId the CSMS gives the restored
StartTransaction is patched in when the message goes out (1.6 §3.7: order and ids survive).
A 1.6 station reports a transaction's end when its StopTransaction is answered; the entry keeps
what it metered (`ended`), so the report survives a restart too. The driver (not this module)
writes the entries to disk whenever the outbox's revision moves.

Beside the queue, what a real station keeps in non-volatile memory (issue 13): its open
transactions (`running`: ids, start, token, seqNo) and each EVSE's meter register (`registers`),
written before the message that concerns them is sent. A restarted station takes them back
(`restore_running`) and ends them as OCPP says for a power loss once the CSMS accepted its boot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evharness.idtokens import IdType
from evharness.ocppj.frames import Payload
from evharness.simulator.core.codec import Trait, VersionRules
from evharness.simulator.core.model import Evse, PresentedToken, Transaction
from evharness.simulator.core.notes import Answer, Ended, RestoredNote, TokenAnswer, TransactionNote, TxMoment
from evharness.simulator.core.outbox import QueuedCall

PayloadOf = Callable[[QueuedCall], Payload]


def snapshot(calls: list[QueuedCall], payload_of: PayloadOf, rules: VersionRules) -> list[dict[str, Any]]:
    entries = []
    for call in calls:
        note = call.note
        entry: dict[str, Any] = {"action": call.action, "payload": payload_of(call), "link": None}
        entry["needs_id"] = False
        ended = None
        if isinstance(note, RestoredNote):
            entry |= {"link": note.link, "needs_id": note.needs_id}
            ended = note.ended
        elif isinstance(note, TransactionNote):
            ended = ended_of(note, rules)
            transaction = note.transaction
            entry["link"] = transaction.local_id
            entry["needs_id"] = (
                rules.has(Trait.CSMS_ASSIGNS_TRANSACTION_ID)
                and transaction.csms_id is None
                and note.moment in (TxMoment.METER, TxMoment.ENDED)
            )
        if ended is not None:
            entry["ended"] = {"evse": ended.evse_id, "energy_wh": ended.energy_wh, "reason": ended.reason}
        entries.append(entry)
    return entries


def ended_of(note: TransactionNote, rules: VersionRules) -> Ended | None:
    """The metered end this message reports once answered (1.6), so a restart does not lose it."""
    transaction = note.transaction
    if note.moment is not TxMoment.ENDED or not rules.has(Trait.ENDED_REPORTED_ON_ANSWER):
        return None
    if not transaction.authorized:
        return None
    return Ended(note.evse_id, note.meter_stop_wh - transaction.meter_start_wh, note.reason)


def restored(entries: list[dict[str, Any]]) -> list[QueuedCall]:
    """The entries as calls to queue ahead of anything else."""
    calls = []
    for entry in entries:
        ended = entry.get("ended")
        note = RestoredNote(
            entry["action"],
            entry["payload"],
            entry.get("link"),
            bool(entry.get("needs_id")),
            None
            if ended is None
            else Ended(int(ended["evse"]), float(ended["energy_wh"]), str(ended["reason"])),
        )
        calls.append(QueuedCall(entry["action"], note, transactional=True, restored=True))
    return calls


def payload_now(note: RestoredNote, known_ids: dict[str, int]) -> Payload:
    """The restored payload, with the transactionId its restored StartTransaction got, once known."""
    known = known_ids.get(note.link or "") if note.needs_id else None
    return note.payload if known is None else {**note.payload, "transactionId": known}


def learn(note: RestoredNote, answer: Answer, known_ids: dict[str, int]) -> None:
    """Keep the transactionId the CSMS gave a restored StartTransaction, for the messages linked to it."""
    if note.link is not None and isinstance(answer, TokenAnswer) and answer.transaction_id is not None:
        known_ids[note.link] = answer.transaction_id


def running(evses: dict[int, Evse]) -> list[dict[str, Any]]:
    """The open transactions, as JSON-able entries."""
    entries = []
    for evse in evses.values():
        transaction = evse.transaction
        if transaction is None or transaction.ended:
            continue
        token = transaction.token
        entries.append(
            {
                "evse": evse.id,
                "local_id": transaction.local_id,
                "csms_id": transaction.csms_id,
                "started_at": transaction.started_at,
                "meter_start_wh": transaction.meter_start_wh,
                "seq_no": transaction.seq_no,
                "authorized": transaction.authorized,
                "token": None if token is None else {"type": token.id_type.value, "code": token.code},
            }
        )
    return entries


def registers(evses: dict[int, Evse]) -> dict[str, float]:
    return {str(evse.id): evse.meter.energy_wh for evse in evses.values()}


def restore_running(entries: list[dict[str, Any]]) -> list[tuple[int, Transaction]]:
    """(EVSE id, transaction) of each transaction that ran when the station lost power."""
    restored = []
    for entry in entries:
        token = entry.get("token")
        transaction = Transaction(
            str(entry["local_id"]),
            float(entry["started_at"]),
            float(entry["meter_start_wh"]),
            token=None if token is None else PresentedToken(IdType(token["type"]), str(token["code"])),
            csms_id=entry.get("csms_id"),
            seq_no=int(entry.get("seq_no", 0)),
            authorized=bool(entry.get("authorized")),
        )
        restored.append((int(entry["evse"]), transaction))
    return restored
