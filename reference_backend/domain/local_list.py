"""A station's Local Authorization List as the backend wants it (OCPP 1.6 §5.15, 2.0.1 D01/D02).

Theory of operation: every identification of a station is one entry; its status is what the
authorization decision (`authorization.decide`) answers for it now, outside a transaction start —
Accepted (with the expiry), Blocked, Expired or Invalid. The backend remembers the version and the
entries it last sent; `plan` compares them with the station's reported version and today's entries:
a station whose version is not the one last sent (or that never got a list) gets a Full list with the
next version, otherwise only the changed entries go out as a Differential with the next version (an
entry without info removes the code). Versions start at 1 (a list version must be > 0, D01.FR.18)
and only ever grow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from evharness.idtokens import IdType
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from reference_backend.domain.authorization import Facts, Identification, decide, status_for


def token_type(id_type: IdType, code: str) -> str:
    """The 2.0.1 IdTokenEnumType: KeyCode for a PIN; an 8-byte UID is ISO 15693, others ISO 14443."""
    if id_type is IdType.PIN:
        return "KeyCode"
    return "ISO15693" if len(code) == 16 else "ISO14443"


@dataclass(frozen=True, slots=True)
class Entry:
    """One code in the list: its type, and the status and expiry a station should apply offline."""

    id_type: IdType
    status: str
    expires_at: datetime | None = None


Entries = Mapping[str, Entry]  # by code, as the station stores it


def entry_for(
    version: OcppVersion,
    id_type: IdType,
    enabled_types: frozenset[IdType],
    user_blocked: bool,
    active: bool,
    expires_at: datetime | None,
    now: datetime,
) -> Entry:
    """The entry for one identification: the decision table's answer, spelled for `version`."""
    facts = Facts(
        presented_type=id_type,
        enabled_types=enabled_types,
        identification=Identification(user_blocked, active, expires_at, in_other_transaction=False),
        at_transaction_start=False,
        now=now,
    )
    decision = decide(facts)
    return Entry(id_type, status_for(version, decision), decision.expires_at)


@dataclass(frozen=True, slots=True)
class Update:
    update_type: str  # "Full" or "Differential"
    version: int
    entries: tuple[tuple[str, Entry | None], ...]  # None: remove the code (Differential only)


def next_version(last_sent: int | None, station_version: int | None = None) -> int:
    """Above both what the backend last sent and what the station reports, and always > 0."""
    return max(last_sent or 0, station_version or 0) + 1


def changes(old: Entries, new: Entries) -> tuple[tuple[str, Entry | None], ...]:
    """Exactly the codes whose entry differs: added or changed with their entry, removed with None."""
    delta: list[tuple[str, Entry | None]] = [
        (code, entry) for code, entry in new.items() if old.get(code) != entry
    ]
    delta += [(code, None) for code in old if code not in new]
    return tuple(sorted(delta, key=lambda item: item[0]))


def full(entries: Entries, last_sent: int | None, station_version: int | None = None) -> Update:
    return Update(
        "Full",
        next_version(last_sent, station_version),
        tuple(sorted(entries.items(), key=lambda item: item[0])),
    )


def plan(
    entries: Entries, sent: Entries | None, last_sent: int | None, station_version: int | None
) -> Update | None:
    """What to send now; None when the station holds the list already.

    `station_version` None means the station was not asked (a change while it stays connected):
    it is taken to hold what was last sent.
    """
    if sent is None or last_sent is None:
        return full(entries, last_sent, station_version)
    if station_version is not None and station_version != last_sent:
        return full(entries, last_sent, station_version)
    delta = changes(sent, entries)
    if not delta:
        return None
    return Update("Differential", next_version(last_sent), delta)


def apply(sent: Entries, update: Update) -> dict[str, Entry]:
    """The list a station holds after accepting `update` on top of `sent`."""
    result = {} if update.update_type == "Full" else dict(sent)
    for code, entry in update.entries:
        if entry is None:
            result.pop(code, None)
        else:
            result[code] = entry
    return result


def request(version: OcppVersion, update: Update) -> dict[str, object]:
    """The SendLocalList request for `version` (the 2.0.1 schema forbids an empty list: omitted)."""
    items: list[dict[str, object]] = []
    for code, entry in update.entries:
        if version is OcppVersion.V16:
            item: dict[str, object] = {"idTag": code}
            if entry is not None:
                info: dict[str, object] = {"status": entry.status}
                if entry.expires_at is not None:
                    info["expiryDate"] = format_timestamp(entry.expires_at.timestamp())
                item["idTagInfo"] = info
        else:
            id_type = entry.id_type if entry is not None else _guess_type(code)
            item = {"idToken": {"idToken": code, "type": token_type(id_type, code)}}
            if entry is not None:
                info = {"status": entry.status}
                if entry.expires_at is not None:
                    info["cacheExpiryDateTime"] = format_timestamp(entry.expires_at.timestamp())
                item["idTokenInfo"] = info
        items.append(item)
    if version is OcppVersion.V16:
        payload: dict[str, object] = {"listVersion": update.version, "updateType": update.update_type}
        payload["localAuthorizationList"] = items
        return payload
    payload = {"versionNumber": update.version, "updateType": update.update_type}
    if items:
        payload["localAuthorizationList"] = items
    return payload


def _guess_type(code: str) -> IdType:
    return IdType.PIN if code.startswith("#") else IdType.RFID
