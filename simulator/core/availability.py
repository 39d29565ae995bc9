"""Availability of an EVSE (2.0.1 G03/G04, 1.6 §5.2 ChangeAvailability): a small state machine.

This module is the pattern for an OCPP function in the station core; copy it for the next one.

Theory of operation: an EVSE is OPERATIVE, INOPERATIVE, or GOING_INOPERATIVE (the CSMS made it
Inoperative while a transaction ran: the change waits for the transaction's end, G03.FR.05 /
§5.2 "Scheduled"). What can happen to it is a `Request`; `TABLE` says, for each state and request,
the next state, the status the CSMS is answered, and the `Effect` on the EVSE. The state lives in
the EVSE's own fields (`operative`, `availability_scheduled`) and is read back by `state_of`, so it
cannot drift from what the rest of the station sees. Nothing here knows a payload: a codec turns
its version's ChangeAvailability into `change(...)` and the status back into its words; the
station calls `transaction_ended` from the charging lifecycle.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Literal

from evharness.ocppj.vocabulary import Status
from evharness.simulator.core.model import Connector, ConnectorState, Evse


class AvailabilityState(Enum):
    OPERATIVE = "operative"
    INOPERATIVE = "inoperative"
    GOING_INOPERATIVE = "going_inoperative"  # made Inoperative once the running transaction ends


class Request(Enum):
    OPERATIVE = "operative"  # ChangeAvailability Operative
    INOPERATIVE = "inoperative"  # ChangeAvailability Inoperative, no transaction on the EVSE
    INOPERATIVE_BUSY = "inoperative_busy"  # ... while a transaction runs on it
    TRANSACTION_ENDED = "transaction_ended"


AvailabilityStatus = Literal["Accepted", "Scheduled", "Rejected"]


class Effect(Enum):
    NONE = "none"
    MAKE_OPERATIVE = "make_operative"  # now: connectors that were Unavailable come back
    MAKE_INOPERATIVE = "make_inoperative"  # now: every connector Unavailable
    SCHEDULE_INOPERATIVE = "schedule_inoperative"  # once the transaction ended


State = AvailabilityState

# state → request → (next state, answer to the CSMS or None for an internal request, effect)
TABLE: dict[State, dict[Request, tuple[State, AvailabilityStatus | None, Effect]]] = {
    State.OPERATIVE: {
        Request.OPERATIVE: (State.OPERATIVE, Status.ACCEPTED, Effect.MAKE_OPERATIVE),
        Request.INOPERATIVE: (State.INOPERATIVE, Status.ACCEPTED, Effect.MAKE_INOPERATIVE),
        Request.INOPERATIVE_BUSY: (State.GOING_INOPERATIVE, Status.SCHEDULED, Effect.SCHEDULE_INOPERATIVE),
        Request.TRANSACTION_ENDED: (State.OPERATIVE, None, Effect.NONE),
    },
    State.INOPERATIVE: {
        Request.OPERATIVE: (State.OPERATIVE, Status.ACCEPTED, Effect.MAKE_OPERATIVE),
        Request.INOPERATIVE: (State.INOPERATIVE, Status.ACCEPTED, Effect.MAKE_INOPERATIVE),
        # a transaction on an inoperative EVSE (2.0.1 opens one at plug-in): made inoperative again at its end
        Request.INOPERATIVE_BUSY: (State.GOING_INOPERATIVE, Status.SCHEDULED, Effect.SCHEDULE_INOPERATIVE),
        Request.TRANSACTION_ENDED: (State.INOPERATIVE, None, Effect.NONE),
    },
    State.GOING_INOPERATIVE: {
        # kept as it always behaved: Operative is answered Accepted, the scheduled change still applies
        Request.OPERATIVE: (State.GOING_INOPERATIVE, Status.ACCEPTED, Effect.MAKE_OPERATIVE),
        Request.INOPERATIVE: (State.INOPERATIVE, Status.ACCEPTED, Effect.MAKE_INOPERATIVE),
        Request.INOPERATIVE_BUSY: (State.GOING_INOPERATIVE, Status.SCHEDULED, Effect.SCHEDULE_INOPERATIVE),
        Request.TRANSACTION_ENDED: (State.INOPERATIVE, None, Effect.MAKE_INOPERATIVE),
    },
}

SetConnectorState = Callable[[Evse, Connector, ConnectorState, float], None]


def state_of(evse: Evse) -> AvailabilityState:
    if evse.availability_scheduled is False:
        return State.GOING_INOPERATIVE
    return State.OPERATIVE if evse.operative else State.INOPERATIVE


def request_for(evse: Evse, operative: bool) -> Request:
    if operative:
        return Request.OPERATIVE
    return Request.INOPERATIVE_BUSY if evse.transaction is not None else Request.INOPERATIVE


def change(
    targets: list[Evse], operative: bool, now: float, set_state: SetConnectorState
) -> AvailabilityStatus:
    """ChangeAvailability on `targets`: Scheduled if any of them waits for its transaction."""
    answers = [handle(evse, request_for(evse, operative), now, set_state) for evse in targets]
    return Status.SCHEDULED if Status.SCHEDULED in answers else Status.ACCEPTED


def transaction_ended(evse: Evse, now: float, set_state: SetConnectorState) -> None:
    handle(evse, Request.TRANSACTION_ENDED, now, set_state)


def handle(
    evse: Evse, request: Request, now: float, set_state: SetConnectorState
) -> AvailabilityStatus | None:
    _, answer, effect = TABLE[state_of(evse)][request]
    match effect:
        case Effect.MAKE_OPERATIVE:
            _set_operative(evse, True, now, set_state)
        case Effect.MAKE_INOPERATIVE:
            evse.availability_scheduled = None
            _set_operative(evse, False, now, set_state)
        case Effect.SCHEDULE_INOPERATIVE:
            evse.availability_scheduled = False
    return answer


def _set_operative(evse: Evse, operative: bool, now: float, set_state: SetConnectorState) -> None:
    evse.operative = operative
    for connector in evse.connectors.values():
        if not operative:
            set_state(evse, connector, ConnectorState.UNAVAILABLE, now)
        elif connector.state is ConnectorState.UNAVAILABLE:
            state = ConnectorState.OCCUPIED if connector.plugged else ConnectorState.AVAILABLE
            set_state(evse, connector, state, now)
