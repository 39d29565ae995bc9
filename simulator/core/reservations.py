"""Reservations (2.0.1 H01–H04, 1.6 §5.13 ReserveNow and §5.1 CancelReservation): two small tables.

Theory of operation: ReserveNow names an EVSE (1.6: a connector), a connector type (2.0.1 H01 S3)
or no EVSE at all (2.0.1 evseId omitted, 1.6 connectorId 0). What the reserved place is when the
request arrives is a `Target`; `RESERVE` says the answer for each (H01.FR.06–09, 1.6 §5.13:
Faulted, Occupied, Unavailable, Rejected when reservations are off or the kind is not supported).
An accepted reservation replaces one with the same id (H01.FR.02) and holds until one of the
`End`s; `ENDS` says what the station then tells the CSMS (2.0.1 ReservationStatusUpdate: Expired
on expiry H04.FR.02, Removed when the EVSE faults; nothing when it was used or cancelled).

While a reservation holds, only its token, or a token of its group (groupIdToken / parentIdTag),
may start on the reserved EVSE (H03.FR.01–04, 1.6 §5.13); reservations of no EVSE in particular
hold as many free EVSEs as there are of them, and once they use up the free ones every free EVSE
shows Reserved (H01.FR.11–14). The state lives in `Reservations`; which EVSEs show Reserved is
derived from it (`reserved_evses`), so the connectors cannot drift from it. Nothing here knows a
payload; the station calls these functions and the codecs write the answers in their words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from evharness.ocppj.vocabulary import Status
from evharness.simulator.core.device_model import DeviceModel
from evharness.simulator.core.model import ConnectorState, Evse, PresentedToken
from evharness.simulator.core.tokens import same_token

ReserveStatus = Literal["Accepted", "Faulted", "Occupied", "Rejected", "Unavailable"]
ReservationUpdate = Literal["Expired", "Removed"]

ENABLED = "ReservationCtrlr.Enabled"
NON_EVSE_SPECIFIC = "ReservationCtrlr.NonEvseSpecific"  # 1.6 ReserveConnectorZeroSupported


class Target(Enum):
    """What the place to reserve is when ReserveNow arrives."""

    FREE = "free"
    OCCUPIED = "occupied"  # a cable, a transaction, or another reservation (no free EVSE is left)
    FAULTED = "faulted"
    UNAVAILABLE = "unavailable"  # made Inoperative (G03)
    REFUSED = "refused"  # reservations disabled, an unknown EVSE or connector type, no EVSE named
    # while NonEvseSpecific / ReserveConnectorZeroSupported is false


RESERVE: dict[Target, ReserveStatus] = {
    Target.FREE: Status.ACCEPTED,
    Target.OCCUPIED: "Occupied",
    Target.FAULTED: "Faulted",
    Target.UNAVAILABLE: "Unavailable",
    Target.REFUSED: Status.REJECTED,
}


class End(Enum):
    USED = "used"  # its token (or group) started on it (H03)
    EXPIRED = "expired"  # expiryDateTime passed (H04.FR.01/02)
    CANCELLED = "cancelled"  # CancelReservation (H02)
    FAULTED = "faulted"  # the reserved EVSE faulted or was made unavailable (H01; OCTT TC_H_20)


# how a reservation ended → what a 2.0.1 station tells the CSMS (None: nothing)
ENDS: dict[End, ReservationUpdate | None] = {
    End.USED: None,
    End.EXPIRED: "Expired",
    End.CANCELLED: None,
    End.FAULTED: "Removed",
}


@dataclass(frozen=True, slots=True)
class Reservation:
    id: int
    expires_at: float
    token: PresentedToken
    group: str | None = None  # groupIdToken / parentIdTag: its tokens may use it too
    evse_id: int | None = None  # None: any EVSE (2.0.1 evseId omitted, 1.6 connectorId 0)
    connector_type: str | None = None  # 2.0.1 connectorType

    def admits(self, token: PresentedToken, group: str | None) -> bool:
        """H03.FR.02/03, 1.6 §5.13: its token, or a token whose group is the reservation's group
        (or whose group is the reservation's token itself)."""
        if same_token(token, self.token):
            return True
        return group is not None and group in (self.group, self.token.code)


GroupOf = Callable[[str], "str | None"]


@dataclass
class Reservations:
    held: dict[int, Reservation] = field(default_factory=dict)
    ended: list[tuple[int, End]] = field(default_factory=list)  # history, for the summary and views

    # -- ReserveNow / CancelReservation ---------------------------------------------------------

    def reserve(
        self,
        reservation: Reservation,
        evses: Mapping[int, Evse],
        device: DeviceModel,
        connector_type: str,
    ) -> ReserveStatus:
        status = RESERVE[self.target(reservation, evses, device, connector_type)]
        if status == Status.ACCEPTED:
            self.held[reservation.id] = reservation  # the same id is replaced (H01.FR.02)
        return status

    def target(
        self, reservation: Reservation, evses: Mapping[int, Evse], device: DeviceModel, connector_type: str
    ) -> Target:
        if not device.flag(ENABLED):
            return Target.REFUSED
        if reservation.connector_type not in (None, connector_type):
            return Target.REFUSED  # no connector of that type here
        others = {rid: r for rid, r in self.held.items() if rid != reservation.id}
        # free EVSEs beyond those the reservations of any EVSE need
        spare = len(_free(evses, others)) - sum(1 for r in others.values() if r.evse_id is None)
        if reservation.evse_id is None:
            if not device.flag(NON_EVSE_SPECIFIC):
                return Target.REFUSED
            return Target.FREE if spare > 0 else _worst(list(evses.values()))
        evse = evses.get(reservation.evse_id)
        if evse is None:
            return Target.REFUSED
        condition = _condition(evse)
        taken = any(r.evse_id == evse.id for r in others.values()) or spare <= 0
        return Target.OCCUPIED if condition is Target.FREE and taken else condition

    def cancel(self, reservation_id: int) -> bool:
        """H02.FR.02/03, 1.6 §5.1: Accepted for a reservation held, Rejected otherwise."""
        if self.held.pop(reservation_id, None) is None:
            return False
        self.ended.append((reservation_id, End.CANCELLED))
        return True

    # -- time and faults ------------------------------------------------------------------------

    def deadline(self) -> float | None:
        return min((r.expires_at for r in self.held.values()), default=None)

    def expire(self, now: float) -> list[Reservation]:
        """The reservations whose time is up (H04.FR.01), ended."""
        return self._end([r for r in self.held.values() if r.expires_at <= now], End.EXPIRED)

    def evse_faulted(self, evse_id: int) -> list[Reservation]:
        return self._end([r for r in self.held.values() if r.evse_id == evse_id], End.FAULTED)

    # -- the gate on a start ----------------------------------------------------------------------

    def claim(
        self, evse_id: int, token: PresentedToken, group_of: GroupOf, evses: Mapping[int, Evse]
    ) -> tuple[bool, Reservation | None]:
        """Whether `token` may start on `evse_id`, and the reservation it uses (ended: USED).

        The EVSE's own reservation admits only its tokens; without one, a token that holds a
        reservation of any EVSE uses it, and any other token may start only while the unspecified
        reservations leave a free EVSE for it (H01.FR.11)."""
        group = group_of(token.code)
        own = next((r for r in self.held.values() if r.evse_id == evse_id), None)
        if own is not None:
            if not own.admits(token, group):
                return False, own
            self._end([own], End.USED)
            return True, own
        unspecified = [r for r in self.held.values() if r.evse_id is None]
        mine = next((r for r in unspecified if r.admits(token, group)), None)
        if mine is not None:
            self._end([mine], End.USED)
            return True, mine
        # this EVSE is the driver's now (plugged or about to be): the others must hold the reservations
        others = _free(evses, self.held) - {evse_id}
        return len(others) >= len(unspecified), None

    # -- what the connectors show -----------------------------------------------------------------

    def reserved_evses(self, evses: Mapping[int, Evse]) -> set[int]:
        """The EVSEs that show Reserved: those reserved by id, and every free one once the
        reservations of no EVSE in particular take up all the free ones (H01.FR.11–14)."""
        named = {r.evse_id for r in self.held.values() if r.evse_id is not None}
        free = _free(evses, self.held)
        unspecified = sum(1 for r in self.held.values() if r.evse_id is None)
        if unspecified and unspecified >= len(free):
            named |= free
        return {
            evse_id for evse_id in named if evse_id in evses and _condition(evses[evse_id]) is Target.FREE
        }

    def _end(self, ending: list[Reservation], how: End) -> list[Reservation]:
        for reservation in ending:
            self.held.pop(reservation.id, None)
            self.ended.append((reservation.id, how))
        return ending


def _condition(evse: Evse) -> Target:
    states = {connector.state for connector in evse.connectors.values()}
    if ConnectorState.FAULTED in states:
        return Target.FAULTED
    if not evse.operative or ConnectorState.UNAVAILABLE in states:
        return Target.UNAVAILABLE
    if evse.plugged or evse.transaction is not None or evse.authorized_token is not None:
        return Target.OCCUPIED
    return Target.FREE


def _free(evses: Mapping[int, Evse], held: Mapping[int, Reservation]) -> set[int]:
    """EVSEs nobody uses and no reservation names."""
    named = {r.evse_id for r in held.values()}
    return {i for i, evse in evses.items() if i not in named and _condition(evse) is Target.FREE}


def _worst(evses: list[Evse]) -> Target:
    """No EVSE is left for a reservation of any EVSE: why, in the words H01.FR.07–09 use."""
    conditions = {_condition(evse) for evse in evses}
    for condition in (Target.OCCUPIED, Target.FAULTED, Target.UNAVAILABLE):
        if condition in conditions:
            return condition
    return Target.OCCUPIED
