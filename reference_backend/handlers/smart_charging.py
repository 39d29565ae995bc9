"""Smart charging (2.0.1 block K; 1.6 Smart Charging has no station-initiated message): what the CSMS
answers to what stations send, and what it keeps of their answers to its own profile CALLs.

- NotifyEVChargingNeeds (K15/K17): Accepted, then a TxProfile for the EV's transaction (`Reply.then`),
  at what the EV can take within the site share and the station's maximum profile; Rejected when no
  transaction runs on the EVSE.
- NotifyEVChargingSchedule (K15.FR.10-13): Accepted when the EV's schedule keeps within the CSMS's
  TxProfile; else Rejected, and the CSMS's profile is sent again (a renegotiation, K16).
- ReportChargingProfiles (K09), NotifyChargingLimit (K12), ClearedChargingLimit (K13): kept and shown.
- `ANSWERS`: a SetChargingProfile the station accepted is kept (replacing by id, or by EVSE, purpose and
  stack level); an accepted (or Unknown) ClearChargingProfile forgets what it cleared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from evharness.ocppj.frames import Payload
from evharness.ocppj.vocabulary import Action, Status
from evharness.reference_backend.domain.charging_profiles import WORDS_16, first_schedule, placed, set_call
from evharness.reference_backend.domain.load_management import (
    EV_PROFILE_IDS,
    SITE_PROFILE_ID,
    needs_profile,
    share,
    site_profile,
    within,
)
from evharness.reference_backend.handlers.base import Handler, HandlerContext, Reply
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.charging_records import ChargingRecords, StoredProfile


def site_share(store: Store, station_id: int) -> float | None:
    """The part of its site limit each running session of the station's installation gets, if any."""
    site = store.charging.site_of(station_id)
    if site is None:
        return None
    installation, limit = site
    sessions = sum(len(s.running_evses) for s in store.charging.site_stations(installation))
    return share(limit, sessions)


def site_calls(
    records: ChargingRecords, installation: int, limit: float, now: datetime
) -> list[tuple[str, str, Payload]]:
    """Each station of the site, its TxDefaultProfile at the share of the sessions running now."""
    members = records.site_stations(installation)
    profile = site_profile(share(limit, sum(len(m.running_evses) for m in members)))
    return [
        (m.identity, *set_call(profile, SITE_PROFILE_ID, m.protocol == "1.6", now))
        for m in members
        if m.protocol is not None
    ]


def balancing(
    handler: Handler,
    when: Callable[[Payload], bool] = lambda payload: True,
    ends: Callable[[Payload], str | None] = lambda payload: None,
) -> Handler:
    """`handler` of a message that starts or stops a session (`when` it does): the TxProfiles of the
    transaction it `ends` are forgotten (the station discards them, K01); with a site limit, the
    answer comes with the site's new profiles, sent to every station of the installation."""

    def balanced(ctx: HandlerContext, payload: Payload) -> Payload | Reply:
        answer = handler(ctx, payload)
        ended = ends(payload)
        if ended is not None and ctx.station_id is not None:
            ctx.store.charging.transaction_ended(ctx.station_id, ended)
        site = ctx.store.charging.site_of(ctx.station) if when(payload) else None
        if site is None:
            return answer
        pushes = tuple(site_calls(ctx.store.charging, *site, ctx.now))
        if isinstance(answer, Reply):
            return replace(answer, elsewhere=answer.elsewhere + pushes)
        return Reply(answer, elsewhere=pushes)

    balanced.__name__ = balanced.__qualname__ = handler.__name__
    balanced.__doc__ = handler.__doc__
    return balanced


def session_edge(payload: Payload) -> bool:
    """A 2.0.1 TransactionEvent that opens or ends a transaction."""
    return payload.get("eventType") in ("Started", "Ended")


def ended_201(payload: Payload) -> str | None:
    """The transaction a 2.0.1 TransactionEvent Ended ends."""
    return str(payload["transactionInfo"]["transactionId"]) if payload.get("eventType") == "Ended" else None


def ended_16(payload: Payload) -> str | None:
    """The transaction a 1.6 StopTransaction ends."""
    return str(payload["transactionId"])


def with_site_profile(boot: Handler) -> Handler:
    """A BootNotification answered Accepted: a station of a site with a limit gets its share now
    (it may have been offline when the limit was set or the sessions changed)."""

    def booted(ctx: HandlerContext, payload: Payload) -> Payload | Reply:
        answer = boot(ctx, payload)
        status = (answer.payload if isinstance(answer, Reply) else answer).get("status")
        station = ctx.store.find_station_id(ctx.identity) if status == Status.ACCEPTED else None
        site = None if station is None else ctx.store.charging.site_of(station)
        if site is None:
            return answer
        mine = tuple(
            (action, call)
            for identity, action, call in site_calls(ctx.store.charging, *site, ctx.now)
            if identity == ctx.identity
        )
        if isinstance(answer, Reply):
            return replace(answer, then=answer.then + mine)
        return Reply(answer, then=mine)

    booted.__name__ = booted.__qualname__ = boot.__name__
    booted.__doc__ = boot.__doc__
    return booted


def _cap(store: Store, station_id: int) -> float | None:
    """The lowest of the site share and the first limit (in amperes) of the station's maximum profile."""
    caps = [] if (part := site_share(store, station_id)) is None else [part]
    for stored in store.charging.of_station(station_id, "set"):
        schedule = first_schedule(stored.profile)
        periods = schedule.get("chargingSchedulePeriod") or []
        in_amperes = schedule.get("chargingRateUnit") == "A"
        if stored.purpose == "ChargingStationMaxProfile" and in_amperes and periods:
            caps.append(float(periods[0]["limit"]))
    return min(caps) if caps else None


def notify_ev_charging_needs(ctx: HandlerContext, payload: Payload) -> Payload | Reply:
    evse = payload["evseId"]
    transaction = ctx.store.running_transaction(ctx.station, evse)
    reference = None if transaction is None else transaction.transaction_ref
    status = "Rejected" if reference is None else "Accepted"
    ctx.store.charging.notice(ctx.station, Action.NotifyEVChargingNeeds, evse, status, payload, ctx.now)
    if reference is None:
        return {"status": status}
    profile = needs_profile(payload["chargingNeeds"], evse, reference, _cap(ctx.store, ctx.station), ctx.now)
    return Reply({"status": status}, then=(set_call(profile, EV_PROFILE_IDS + evse, False, ctx.now),))


def _offer(store: Store, station_id: int, evse: int) -> Payload | None:
    """The TxProfile the CSMS stands by for the transaction running on the EVSE: the newest of those
    the station accepted for it and of the one answering the EV's latest needs (which the station may
    not have answered yet when the EV's schedule comes); profiles of earlier transactions do not count."""
    transaction = store.running_transaction(station_id, evse)
    reference = None if transaction is None else transaction.transaction_ref
    if transaction is None or reference is None:
        return None
    candidates = [
        (p.updated_at, 0, p.profile)
        for p in store.charging.of_station(station_id, "set")
        if p.purpose == "TxProfile" and p.evse_id == evse and p.transaction_ref == reference
    ]
    needs = [
        n
        for n in store.charging.notices(station_id, [Action.NotifyEVChargingNeeds])
        if n.evse_id == evse and n.status == Status.ACCEPTED
    ]
    started = transaction.started_at
    if needs and (started is None or needs[-1].received_at >= started):
        last = needs[-1]
        profile = needs_profile(
            last.payload["chargingNeeds"], evse, reference, _cap(store, station_id), last.received_at
        )
        offered = set_call(profile, EV_PROFILE_IDS + evse, False, last.received_at)[1]["chargingProfile"]
        candidates.append((last.received_at, 1, offered))
    return max(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None


def notify_ev_charging_schedule(ctx: HandlerContext, payload: Payload) -> Payload | Reply:
    evse = payload["evseId"]
    ours = _offer(ctx.store, ctx.station, evse)
    ok = within(payload["chargingSchedule"], ours)
    status = Status.ACCEPTED if ok else Status.REJECTED
    ctx.store.charging.notice(ctx.station, Action.NotifyEVChargingSchedule, evse, status, payload, ctx.now)
    if ok or ours is None:
        return {"status": status}
    again = {"evseId": evse, "chargingProfile": ours}
    return Reply({"status": status}, then=((Action.SetChargingProfile, again),))


def report_charging_profiles(ctx: HandlerContext, payload: Payload) -> Payload:
    evse, source = payload["evseId"], payload["chargingLimitSource"]
    profiles = [
        StoredProfile(
            p["id"],
            evse,
            p["chargingProfilePurpose"],
            p["stackLevel"],
            p.get("transactionId"),
            "reported",
            source,
            p,
            ctx.now,
        )
        for p in payload["chargingProfile"]
    ]
    ctx.store.charging.reported(ctx.station, payload["requestId"], profiles, ctx.now)
    return {}


def _noticed(action: str) -> Handler:
    def keep(ctx: HandlerContext, payload: Payload) -> Payload:
        ctx.store.charging.notice(ctx.station, action, payload.get("evseId"), None, payload, ctx.now)
        return {}

    keep.__name__ = keep.__qualname__ = f"keep_{action}"
    keep.__doc__ = f"{action} (K12/K13): kept for the console, answered with its empty response."
    return keep


V201_HANDLERS: dict[str, Handler] = {
    Action.NotifyEVChargingNeeds: notify_ev_charging_needs,
    Action.NotifyEVChargingSchedule: notify_ev_charging_schedule,
    Action.ReportChargingProfiles: report_charging_profiles,
    Action.NotifyChargingLimit: _noticed(Action.NotifyChargingLimit),
    Action.ClearedChargingLimit: _noticed(Action.ClearedChargingLimit),
}


def _profile_set(
    store: Store, station: int, on_16: bool, request: Payload, answer: Payload, at: datetime
) -> None:
    if answer.get("status") != Status.ACCEPTED:
        return
    where = placed(request, on_16)
    kept = StoredProfile(
        where.profile_id,
        where.evse,
        where.purpose,
        where.stack_level,
        where.transaction_ref,
        "set",
        None,
        where.profile,
        at,
    )
    store.charging.put(station, kept)


def _profile_cleared(
    store: Store, station: int, on_16: bool, request: Payload, answer: Payload, at: datetime
) -> None:
    if answer.get("status") not in (Status.ACCEPTED, Status.UNKNOWN):  # Unknown: it has none of them
        return
    if on_16:
        word = request.get("chargingProfilePurpose")
        purpose = None if word is None else WORDS_16.get(word, word)
        found = (request.get("id"), request.get("connectorId"), purpose, request.get("stackLevel"))
    else:
        criteria = request.get("chargingProfileCriteria", {})
        found = (
            request.get("chargingProfileId"),
            criteria.get("evseId"),
            criteria.get("chargingProfilePurpose"),
            criteria.get("stackLevel"),
        )
    store.charging.clear(station, *found)


ANSWERS = {Action.SetChargingProfile: _profile_set, Action.ClearChargingProfile: _profile_cleared}
