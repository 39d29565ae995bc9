"""The station's cost state machine: every row of `TABLE`, and the tester's choice to ignore costs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evharness.simulator.core.cost import ENABLED, FALLBACK_MESSAGE, TABLE, Costs, CostState, Request
from evharness.simulator.core.device_model import DeviceModel

AMOUNT = Decimal("1.70")


def costs_in(state: CostState) -> Costs:
    costs = Costs(DeviceModel())
    lead_in = {
        CostState.RUNNING: [Request.RUNNING_COST],
        CostState.FINAL: [Request.FINAL_COST],
        CostState.FALLBACK: [Request.ENDED_WITHOUT_COST],
    }.get(state, [])
    for request in lead_in:
        apply(costs, request, Decimal("0.50"))
    return costs


def apply(costs: Costs, request: Request, total: Decimal = AMOUNT) -> None:
    match request:
        case Request.RUNNING_COST:
            costs.running("tx-1", total, 10.0)
        case Request.FINAL_COST:
            costs.final("tx-1", total, 10.0)
        case Request.ENDED_WITHOUT_COST:
            costs.ended_without_cost("tx-1", 10.0)


ROWS = [(state, request) for state, row in TABLE.items() for request in row]


@pytest.mark.parametrize(("state", "request_"), ROWS)
def test_every_row(state: CostState, request_: Request) -> None:
    costs = costs_in(state)
    apply(costs, request_)
    following, shown = TABLE[state][request_]
    record = costs.records.get("tx-1")
    assert (record.state if record else CostState.NONE) is following
    if shown:
        assert record is not None
        assert record.total == AMOUNT
        assert record.shown.endswith(f"{AMOUNT} EUR")
    elif following is CostState.FALLBACK:
        assert record is not None
        assert record.shown == DeviceModel().values[FALLBACK_MESSAGE]


def test_the_station_shows_what_it_was_told_in_its_currency() -> None:
    device = DeviceModel({"TariffCostCtrlr.Currency": "JPY"})
    costs = Costs(device)
    record = costs.running("7", Decimal(100), 1.0)
    assert record is not None
    assert (record.shown, record.updates) == ("Cost so far: 100 JPY", 1)
    final = costs.final("7", Decimal(400), 2.0)
    assert final is not None
    assert (final.state, final.shown, final.updates) == (CostState.FINAL, "Total cost: 400 JPY", 2)
    assert costs.running("7", Decimal(500), 3.0) is None  # late: the final cost stays
    assert costs.latest() is final


@pytest.mark.parametrize("key", [ENABLED, "CustomDisplayCostAndPrice"])
def test_a_station_with_cost_disabled_ignores_every_cost(key: str) -> None:
    costs = Costs(DeviceModel({key: "false"}))
    assert costs.running("tx-1", AMOUNT, 1.0) is None
    assert costs.final("tx-1", AMOUNT, 1.0) is None
    assert costs.ended_without_cost("tx-1", 1.0) is None
    assert costs.records == {}
