"""Availability as its table says (G03/G04, 1.6 §5.2): each state and request, the next state, the
answer, and what the connectors show."""

from __future__ import annotations

import pytest

from evharness.simulator.core import availability
from evharness.simulator.core.availability import TABLE, AvailabilityState, Request, state_of
from evharness.simulator.core.meter import Meter
from evharness.simulator.core.model import Connector, ConnectorState, Evse, Transaction


def evse_in(state: AvailabilityState, busy: bool) -> Evse:
    evse = Evse(1, {1: Connector(1)}, 11_000.0, Meter())
    evse.transaction = Transaction("t-1", 0.0, 0.0) if busy else None
    evse.operative = state is not AvailabilityState.INOPERATIVE
    if not evse.operative:
        evse.connectors[1].state = ConnectorState.UNAVAILABLE
    if state is AvailabilityState.GOING_INOPERATIVE:
        evse.availability_scheduled = False
    assert state_of(evse) is state
    return evse


ROWS = [(state, request) for state, row in TABLE.items() for request in row]


@pytest.mark.parametrize(("state", "request_"), ROWS, ids=lambda v: v.value)
def test_each_row(state: AvailabilityState, request_: Request) -> None:
    busy = request_ is Request.INOPERATIVE_BUSY or state is AvailabilityState.GOING_INOPERATIVE
    evse = evse_in(state, busy)
    if request_ is Request.TRANSACTION_ENDED:
        evse.transaction = None
    shown: list[ConnectorState] = []

    def set_state(evse: Evse, connector: Connector, new: ConnectorState, now: float) -> None:
        connector.state = new
        shown.append(new)

    answer = availability.handle(evse, request_, 0.0, set_state)
    following, expected_answer, _ = TABLE[state][request_]
    assert state_of(evse) is following
    assert answer == expected_answer
    if following is AvailabilityState.INOPERATIVE:
        assert evse.connectors[1].state is ConnectorState.UNAVAILABLE
    if following is AvailabilityState.OPERATIVE:
        assert evse.connectors[1].state is not ConnectorState.UNAVAILABLE


def test_a_change_over_several_evses_is_scheduled_if_one_waits() -> None:
    idle = evse_in(AvailabilityState.OPERATIVE, busy=False)
    busy = evse_in(AvailabilityState.OPERATIVE, busy=True)
    assert availability.change([idle, busy], False, 0.0, lambda *_: None) == "Scheduled"
    assert state_of(idle) is AvailabilityState.INOPERATIVE
    assert state_of(busy) is AvailabilityState.GOING_INOPERATIVE
