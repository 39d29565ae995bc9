"""A station's Local Authorization List as the backend wants it (OCPP 1.6 §5.15, 2.0.1 D01/D02).

Theory of operation: every identification of a station is one entry, and so is every token provisioned
for it (Central, eMAID, …; its group goes along as 1.6 parentIdTag / 2.0.1 groupIdToken; on 1.6 only a
code that fits the 20-character idTag); its status is what the authorization decision
(`authorization.decide`) answers for it now, outside a transaction start — Accepted (with the expiry),
Blocked, Expired or Invalid. Where an identification and a provisioned token share a code, the
identification's entry is the one. The backend remembers the version and the
entries it last sent; `plan` compares them with the station's reported version and today's entries:
a station whose version is not the one last sent (or that never got a list) gets a Full list with the
next version, otherwise only the changed entries go out as a Differential with the next version (an
entry without info removes the code). Versions start at 1 (a list version must be > 0, D01.FR.18)
and only ever grow.

A station limits what one SendLocalList may carry (2.0.1 LocalAuthListCtrlr.ItemsPerMessage and
BytesPerMessage, 1.6 SendLocalListMaxLength); `split` cuts an update that exceeds them into a
first message of the update's type followed by Differentials, each one version higher
(D01.FR.11, D01.FR.19), so the messages applied in order give the station the whole update.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

import orjson

from evharness.idtokens import IdType, to_wire
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action, Status
from evharness.reference_backend.domain.authorization import (
    Facts,
    Identification,
    TokenSource,
    decide,
    status_for,
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One code in the list: its type, and the status and expiry a station should apply offline."""

    id_type: IdType  # a provisioned token: RFID (on 1.6 it travels as an idTag like a card UID)
    status: str
    expires_at: datetime | None = None
    token_type: str | None = None  # a provisioned token's 2.0.1 IdTokenEnumType (Central, eMAID, …)
    group: str | None = None  # a provisioned token's group: parentIdTag / groupIdToken


Entries = Mapping[str, Entry]  # by code, as the station stores it


def holds_pins(entries: Entries) -> bool:
    return any(entry.id_type is IdType.PIN for entry in entries.values())


def without_pins(entries: Entries) -> dict[str, Entry]:
    """The list for a station that connected without security: PINs left out (docs/security.md)."""
    return {code: entry for code, entry in entries.items() if entry.id_type is not IdType.PIN}


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


IDTAG_LENGTH = 20  # 1.6 CiString20: a longer provisioned code cannot be in a 1.6 list


def token_entry(
    version: OcppVersion,
    token_type: str,
    active: bool,
    expires_at: datetime | None,
    group: str | None,
    now: datetime,
) -> Entry:
    """The entry for a provisioned token: the decision table's answer, with its type and group."""
    facts = Facts(
        presented_type=None,
        enabled_types=frozenset(),
        identification=Identification(False, active, expires_at, in_other_transaction=False),
        at_transaction_start=False,
        now=now,
        source=TokenSource.PROVISIONED,
    )
    decision = decide(facts)
    return Entry(IdType.RFID, status_for(version, decision), decision.expires_at, token_type, group)


def fits(version: OcppVersion, code: str) -> bool:
    """Whether a provisioned code can be a list entry on `version`."""
    return version is not OcppVersion.V16 or len(code) <= IDTAG_LENGTH


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
    items = [_item(version, code, entry) for code, entry in update.entries]
    if version is OcppVersion.V16:
        return {
            "listVersion": update.version,
            "updateType": update.update_type,
            "localAuthorizationList": items,
        }
    payload: dict[str, object] = {"versionNumber": update.version, "updateType": update.update_type}
    if items:
        payload["localAuthorizationList"] = items
    return payload


def _item(version: OcppVersion, code: str, entry: Entry | None) -> dict[str, object]:
    """One AuthorizationData: 1.6 idTag + idTagInfo, 2.0.1 idToken + idTokenInfo (absent: remove)."""
    info: dict[str, object] = {}
    if entry is not None:
        info["status"] = entry.status
        if entry.expires_at is not None:
            expiry = "expiryDate" if version is OcppVersion.V16 else "cacheExpiryDateTime"
            info[expiry] = format_timestamp(entry.expires_at.timestamp())
        if entry.group is not None:
            on_16 = version is OcppVersion.V16
            info |= {"parentIdTag": entry.group} if on_16 else {"groupIdToken": _central(entry.group)}
    if version is OcppVersion.V16:
        return {"idTag": code, "idTagInfo": info} if info else {"idTag": code}
    if entry is not None and entry.token_type is not None:
        token: dict[str, str] = {"idToken": code, "type": entry.token_type}
    else:
        wire = to_wire(entry.id_type if entry is not None else _guess_type(code), code)
        token = {"idToken": wire.value_201, "type": wire.type_201}
    item: dict[str, object] = {"idToken": token}
    if info:
        item["idTokenInfo"] = info
    return item


def _central(group: str) -> dict[str, str]:
    return {"idToken": group, "type": "Central"}


# The CALL around a payload: `[2,"<message id, at most 36 characters>","SendLocalList",…]`.
FRAME_OVERHEAD = len('[2,"","SendLocalList",]') + 36


@dataclass(frozen=True, slots=True)
class MessageLimits:
    """What the station said one SendLocalList may carry; None where it did not say (no limit).

    `items`: 2.0.1 LocalAuthListCtrlr.ItemsPerMessage / 1.6 SendLocalListMaxLength; `bytes`: 2.0.1
    LocalAuthListCtrlr.BytesPerMessage, for the whole CALL frame; `capacity`: 1.6
    LocalAuthListMaxLength, the most entries the list can hold (D01.FR.12 for 2.0.1 reads it from
    Entries' maxLimit, which only a device model report carries). `enabled`: 2.0.1
    LocalAuthListCtrlr.Enabled, read with them — a station whose list is off answers every
    SendLocalList Failed, so it gets none (1.6 says so with GetLocalListVersion -1).
    """

    items: int | None = None
    bytes: int | None = None
    capacity: int | None = None
    enabled: bool = True

    def holds(self, entries: Entries) -> bool:
        return self.capacity is None or len(entries) <= self.capacity


NO_LIMITS = MessageLimits()


def recovery(entries: Entries, parts: tuple[Update, ...], refused: Update, status: str) -> Update | None:
    """What to send after the station refused `refused`, one of the `parts` just planned.

    1.6 §5.15: a Differential answered Failed or VersionMismatch is followed by the Full list — here
    also a Differential that carried a later part of a split Full. Its version is above every one
    planned, so no station can hold it already. None: nothing more to try now (a refused Full).
    """
    if refused.update_type != "Differential" or status not in (Status.FAILED, "VersionMismatch"):
        return None
    return full(entries, parts[-1].version)


# Where each version keeps the limits: 1.6 configuration keys (§9.4), 2.0.1 LocalAuthListCtrlr
# variables (the spec's ItemsPerMessageSendLocalList and BytesPerMessageSendLocalList).
_KEYS_16 = {"SendLocalListMaxLength": "items", "LocalAuthListMaxLength": "capacity"}
_VARIABLES_201 = {"ItemsPerMessage": "items", "BytesPerMessage": "bytes"}


_ENABLED_201 = "Enabled"


def limits_request(version: OcppVersion) -> tuple[str, dict[str, object]]:
    """The CALL (action, payload) that reads the limits: GetConfiguration or GetVariables (2.0.1:
    with LocalAuthListCtrlr.Enabled in the same request)."""
    if version is OcppVersion.V16:
        return Action.GetConfiguration, {"key": sorted(_KEYS_16)}
    names = [*_VARIABLES_201, _ENABLED_201]
    data = [{"component": {"name": "LocalAuthListCtrlr"}, "variable": {"name": n}} for n in names]
    return Action.GetVariables, {"getVariableData": data}


def limits_from(version: OcppVersion, answer: Mapping[str, object] | None) -> MessageLimits:
    """The limits in the station's answer; a missing, unknown or non-positive value is no limit.
    The list counts as enabled unless the station says Enabled is false."""
    found: dict[str, str] = {}
    enabled = True
    if version is OcppVersion.V16:
        for key in _as_dicts((answer or {}).get("configurationKey")):
            if key.get("key") in _KEYS_16 and "value" in key:
                found[_KEYS_16[str(key["key"])]] = str(key["value"])
    else:
        for result in _as_dicts((answer or {}).get("getVariableResult")):
            variable = result.get("variable")
            name = variable.get("name") if isinstance(variable, dict) else None
            if result.get("attributeStatus") != Status.ACCEPTED:
                continue
            value = str(result.get("attributeValue", ""))
            if name in _VARIABLES_201:
                found[_VARIABLES_201[str(name)]] = value
            elif name == _ENABLED_201:
                enabled = value.strip().lower() != "false"
    numbers = {field: int(v) for field, v in found.items() if _positive(v)}
    return MessageLimits(**numbers, enabled=enabled)


def _positive(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) > 0


def _as_dicts(value: object) -> list[dict[str, object]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _size(value: object) -> int:
    return len(orjson.dumps(value))


def split(version: OcppVersion, update: Update, limits: MessageLimits) -> tuple[Update, ...]:
    """`update` as the messages to send in order, none over `limits` (D01.FR.11).

    The first keeps the update's type and version; each next one is a Differential one version
    higher, since a Differential needs a version above the station's (D01.FR.19). The byte size is
    bounded from above (frame, envelope with an empty list, each item plus its comma), so a message
    never exceeds the limit; one item larger than the limit on its own still goes, alone.
    """

    def header(n: int) -> Update:  # the n-th message without its entries
        return Update(update.update_type if n == 0 else "Differential", update.version + n, ())

    def base(n: int) -> int:  # its envelope: the type and the version's digits differ from part to part
        empty_list = len(',"localAuthorizationList":[]')
        return FRAME_OVERHEAD + _size(request(version, header(n))) + empty_list

    chunks: list[list[tuple[str, Entry | None]]] = [[]]
    size = base(0)
    for code, entry in update.entries:
        item = _size(_item(version, code, entry)) + 1
        chunk = chunks[-1]
        full_items = limits.items is not None and len(chunk) >= max(limits.items, 1)
        full_bytes = limits.bytes is not None and bool(chunk) and size + item > limits.bytes
        if full_items or full_bytes:
            chunks.append([])
            size = base(len(chunks) - 1)
        chunks[-1].append((code, entry))
        size += item
    return tuple(replace(header(n), entries=tuple(chunk)) for n, chunk in enumerate(chunks))


def _guess_type(code: str) -> IdType:
    return IdType.PIN if code.startswith("#") else IdType.RFID
