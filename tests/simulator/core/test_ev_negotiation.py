"""An ISO 15118 EV's negotiation as its table says (K15–K17): each state and request, and the
schedule the EV chooses for each outcome the tester can pick."""

from __future__ import annotations

import pytest

from evharness.simulator.core.ev import EvSpec, EvState
from evharness.simulator.core.ev_negotiation import (
    TABLE,
    Negotiations,
    NegotiationState,
    Request,
    Send,
    needs_of,
)

ROWS = [(state, request) for state, row in TABLE.items() for request in row]


@pytest.mark.parametrize(("state", "request_"), ROWS, ids=lambda v: v.value)
def test_each_row(state: NegotiationState, request_: Request) -> None:
    negotiations = Negotiations()
    negotiations.states[1] = state
    send = negotiations.handle(1, request_)
    following, expected = TABLE[state][request_]
    assert (negotiations.state(1), send) == (following, expected)


def test_a_request_without_a_row_changes_nothing() -> None:
    negotiations = Negotiations()
    assert negotiations.handle(1, Request.PROFILE) is Send.NOTHING
    assert negotiations.state(1) is NegotiationState.IDLE


def test_the_needs_say_energy_departure_and_limits() -> None:
    ev = EvState.plugged(EvSpec(battery_kwh=60, soc_percent=50, departure_s=3600), 0.0, at=1000.0)
    needs = needs_of(1, ev, 3)
    assert needs.energy_wh == pytest.approx(30_000.0)  # to fill the battery
    assert needs.departure_at == 4600.0
    assert needs.max_current_a == pytest.approx(11_000 / 690)
    asked = EvState.plugged(EvSpec(energy_kwh=12.5, dc=True), 0.0)
    dc = needs_of(2, asked, 3)
    assert (dc.energy_wh, dc.dc, dc.departure_at, dc.max_power_w) == (12_500.0, True, None, 50_000.0)


OFFER = [(0.0, 4_000.0), (1800.0, 20_000.0)]


def test_an_accepting_ev_follows_the_limits_below_its_own_maximum() -> None:
    ev = EvState.plugged(EvSpec(), 0.0)
    chosen = Negotiations().choose_schedule(1, ev, OFFER, 50.0)
    assert chosen.periods == ((0.0, 4_000.0), (1800.0, 11_000.0))
    assert chosen.time_base == 50.0


def test_a_rejecting_ev_exceeds_the_first_offer_then_accepts() -> None:
    ev = EvState.plugged(EvSpec(schedule="reject"), 0.0)
    negotiations = Negotiations()
    first = negotiations.choose_schedule(1, ev, OFFER, 0.0)
    assert all(watts > limit for (_, watts), (_, limit) in zip(first.periods, OFFER, strict=True))
    second = negotiations.choose_schedule(1, ev, OFFER, 0.0)
    assert second.periods == ((0.0, 4_000.0), (1800.0, 11_000.0))


def test_an_unknown_schedule_outcome_names_the_field() -> None:
    with pytest.raises(ValueError, match="schedule"):
        EvSpec(schedule="sometimes")
