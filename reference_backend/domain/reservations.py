"""Reservations at the CSMS (2.0.1 H01–H04, 1.6 §5.13 / §5.1): what the backend keeps and decides.

Theory of operation: a reservation is recorded when the CSMS sends ReserveNow and its state follows
`TRANSITIONS` — the station's answer (Accepted: ACTIVE, else REFUSED), then one end: used by a start
that names it (1.6 StartTransaction reservationId, 2.0.1 TransactionEvent reservationId), expired
(ReservationStatusUpdate Expired, or its expiry passed; on 1.6, its connector reported Available),
removed by the station (Removed; on 1.6 the connector Faulted or Unavailable), cancelled
(CancelReservation answered Accepted). `FIELDS` reads a ReserveNow of either version into the same
`Reserved` facts. While a reservation of an EVSE is active and unexpired, a start there by another
token — one that is neither its token nor of its group — is refused by the authorization decision
(`reserved_for_other`, rule "EVSE reserved for another token" in `domain.authorization`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from evharness.ocppj.timefmt import parse_timestamp


class State(StrEnum):
    REQUESTED = "requested"  # sent; no answer yet
    ACTIVE = "active"
    REFUSED = "refused"  # the station answered Occupied, Faulted, Unavailable or Rejected
    USED = "used"
    EXPIRED = "expired"
    REMOVED = "removed"  # the station ended it (2.0.1 ReservationStatusUpdate Removed)
    CANCELLED = "cancelled"


class Event(StrEnum):
    ACCEPTED = "accepted"  # ReserveNow answered Accepted
    REFUSED = "refused"  # ReserveNow answered otherwise
    USED = "used"
    EXPIRED = "expired"
    REMOVED = "removed"
    CANCELLED = "cancelled"  # CancelReservation answered Accepted


# state → event → next state; an event a state does not list changes nothing
TRANSITIONS: dict[State, dict[Event, State]] = {
    State.REQUESTED: {Event.ACCEPTED: State.ACTIVE, Event.REFUSED: State.REFUSED},
    State.ACTIVE: {
        Event.ACCEPTED: State.ACTIVE,  # the same id sent again replaces it (H01.FR.02)
        Event.USED: State.USED,
        Event.EXPIRED: State.EXPIRED,
        Event.REMOVED: State.REMOVED,
        Event.CANCELLED: State.CANCELLED,
    },
}
UPDATES: dict[str, Event] = {"Expired": Event.EXPIRED, "Removed": Event.REMOVED}  # ReservationStatusUpdate
# 1.6 has no ReservationStatusUpdate: a reserved connector that reports one of these is no longer
# reserved (§5.13: Available once the reservation expired; Faulted, Unavailable: the station dropped it)
ENDED_BY_STATUS_16: dict[str, Event] = {
    "Available": Event.EXPIRED,
    "Faulted": Event.REMOVED,
    "Unavailable": Event.REMOVED,
}


def next_state(state: State, event: Event) -> State:
    return TRANSITIONS.get(state, {}).get(event, state)


def answered(status: str) -> Event:
    return Event.ACCEPTED if status == "Accepted" else Event.REFUSED


@dataclass(frozen=True, slots=True)
class Reserved:
    """What a ReserveNow asks, in either version's words."""

    reservation_id: int
    evse_id: int | None  # None: any EVSE (2.0.1 evseId omitted, 1.6 connectorId 0)
    code: str
    group: str | None
    expires_at: datetime
    connector_type: str | None = None


def _v16(payload: dict[str, Any]) -> Reserved:
    return Reserved(
        payload["reservationId"],
        payload["connectorId"] or None,
        payload["idTag"],
        payload.get("parentIdTag"),
        parse_timestamp(payload["expiryDate"]),
    )


def _v201(payload: dict[str, Any]) -> Reserved:
    group = payload.get("groupIdToken")
    return Reserved(
        payload["id"],
        payload.get("evseId"),
        payload["idToken"]["idToken"],
        None if group is None else group["idToken"],
        parse_timestamp(payload["expiryDateTime"]),
        payload.get("connectorType"),
    )


FIELDS: dict[bool, Callable[[dict[str, Any]], Reserved]] = {True: _v16, False: _v201}  # on 1.6?


@dataclass(frozen=True, slots=True)
class Held:
    """An active reservation of an EVSE, as the authorization decision sees it."""

    reservation_id: int
    code: str
    group: str | None
    expires_at: datetime


def reserved_for_other(held: list[Held], code: str, group: str | None, now: datetime) -> bool:
    """H03.FR.04, 1.6 §5.13: the EVSE is held, and not for this token nor for its group."""
    for reservation in held:
        if reservation.expires_at <= now:
            continue
        mine = reservation.code.upper() == code.upper()
        grouped = group is not None and group.upper() in {
            (reservation.group or "").upper(),
            reservation.code.upper(),
        }
        if not (mine or grouped):
            return True
    return False
