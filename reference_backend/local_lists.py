"""Keeping each station's Local Authorization List in sync with its identifications (D01/D02).

On registration (`ask=True`) a station with identifications (or an earlier list) is asked its list
version (GetLocalListVersion); when it differs from what the backend last sent, or nothing was sent
yet, a Full list goes out. After a change while the station stays connected (`ask=False`) only the
changed entries go out, as a Differential with the next version. A Failed or VersionMismatch answer
to a Differential is followed by a Full list. What the station accepted is recorded
(`Store.record_local_list`); the rules are in `domain.local_list`.

On registration the station is also asked how much one SendLocalList may carry (1.6 GetConfiguration
SendLocalListMaxLength / LocalAuthListMaxLength, 2.0.1 GetVariables LocalAuthListCtrlr.ItemsPerMessage
/ BytesPerMessage, with LocalAuthListCtrlr.Enabled: a station whose list is off gets no list); the
answer is kept in `limits` (by identity) until it registers again. A station that does not say gets
everything in one message. An update over the limits goes out as several
messages (`local_list.split`, D01.FR.11); the first refused one ends the round. The CALLs go over the
station's `operations.Link`.

A station connected without security (profile 0) gets no PINs in its list — anyone could connect as
it and read them — unless its operator allowed it (`pins_allowed`, decided by `security.Gate`); see
docs/security.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from datetime import datetime

from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action, Status
from evharness.reference_backend.domain import local_list
from evharness.reference_backend.operations import Link
from evharness.reference_backend.persistence import Store

log = logging.getLogger(__name__)


async def sync_local_list(
    link: Link,
    store: Store,
    now: Callable[[], datetime],
    *,
    ask: bool = True,
    limits: MutableMapping[str, local_list.MessageLimits] | None = None,
    pins_allowed: bool = True,
) -> str | None:
    """Bring the station's list up to date; the last SendLocalList status, or None if none was sent."""
    limits = {} if limits is None else limits
    identity, version = link.identity, link.version
    station_id = store.find_station_id(identity)
    if station_id is None:
        return None
    entries = store.local_list_entries(station_id, version, now())
    if not pins_allowed:
        # Anyone can connect as a station on profile 0: its list holds no PINs unless allowed.
        if local_list.holds_pins(entries):
            log.warning(
                "%s connected without security (profile 0): its local list goes without PINs "
                '(allow them: PUT /api/stations/%s/security {"pins_on_profile_0": true})',
                identity,
                identity,
            )
        entries = local_list.without_pins(entries)
    sent = store.local_list_sent(station_id)
    if not entries and sent is None:
        return None  # nothing to hold and nothing ever sent: the station is not bothered
    station_version: int | None = None
    if ask:
        outcome = await link.call(Action.GetLocalListVersion, {})
        if outcome.payload is None:
            log.info("%s: GetLocalListVersion %s; list not synced", identity, outcome.status)
            return None
        key = "listVersion" if version is OcppVersion.V16 else "versionNumber"
        station_version = int(outcome.payload.get(key, 0))
        if station_version < 0:  # 1.6: -1 = local list not supported / not enabled
            return None
    if ask or identity not in limits:
        found = await _read_limits(link, version)
        if found is None:
            return None
        limits[identity] = found
    if not limits[identity].enabled:
        log.info("%s: LocalAuthListCtrlr.Enabled is false; no list sent", identity)
        return None
    if not limits[identity].holds(entries):
        log.warning(
            "%s: %d entries exceed the list's capacity of %s; list not synced",
            identity,
            len(entries),
            limits[identity].capacity,
        )
        return None
    last_version, last_entries = sent if sent is not None else (None, None)
    update = local_list.plan(entries, last_entries, last_version, station_version)
    if update is None:
        return None
    station_limits = limits[identity]
    parts = local_list.split(version, update, station_limits)
    status, refused = await _send_parts(link, store, station_id, version, parts, last_entries or {})
    retry = None if refused is None else local_list.recovery(entries, parts, refused, status)
    if retry is not None:
        again = local_list.split(version, retry, station_limits)
        status, _ = await _send_parts(link, store, station_id, version, again, {})
    return status


async def _send_parts(
    link: Link,
    store: Store,
    station_id: int,
    version: OcppVersion,
    parts: tuple[local_list.Update, ...],
    sent: local_list.Entries,
) -> tuple[str, local_list.Update | None]:
    """Send the planned messages in order, stopping at the first refusal.

    The status of the last message sent, and the message refused (None if all were accepted).
    """
    for part in parts:
        status = await _send(link, store, station_id, version, part, sent)
        if status != Status.ACCEPTED:
            return status, part
        sent = local_list.apply(sent, part)
    return Status.ACCEPTED, None


async def _read_limits(link: Link, version: OcppVersion) -> local_list.MessageLimits | None:
    """What one SendLocalList may carry; None (logged) if the station left meanwhile."""
    action, payload = local_list.limits_request(version)
    outcome = await link.call(action, payload)
    if outcome.status == "offline":
        log.info("%s: left during the list sync (%s); list not synced", link.identity, action)
        return None
    found = local_list.limits_from(version, outcome.payload)
    log.info("%s: SendLocalList limits %s", link.identity, found)
    return found


async def _send(
    link: Link,
    store: Store,
    station_id: int,
    version: OcppVersion,
    update: local_list.Update,
    sent: local_list.Entries,
) -> str:
    outcome = await link.call(Action.SendLocalList, local_list.request(version, update))
    log.info(
        "%s: SendLocalList %s v%d: %s", link.identity, update.update_type, update.version, outcome.status
    )
    if outcome.status == Status.ACCEPTED:
        store.record_local_list(station_id, update.version, local_list.apply(sent, update))
    return outcome.status
