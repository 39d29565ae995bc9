"""Steps of the tariff and cost cases (2.0.1 block I); `conftest.py` imports them.

Memory state: the CSMS has a tariff for the station (`Conformance.configure_tariff`). I02.FR.01 lets
the CSMS show the running cost either way: a CostUpdated for the transaction, or a `totalCost` in
the TransactionEvent's answer; I03: the Ended event's answer must carry `totalCost`.
"""

from __future__ import annotations

from pytest_bdd import given, then, when

from evharness.conformance.session import Conformance
from evharness.ocppj.vocabulary import Action


@given("the CSMS has a tariff for the station")
def has_tariff(octt: Conformance) -> None:
    octt.configure_tariff()


@when("the station sends sampled meter values of the transaction", target_fixture="cost_cursor")
def sends_sampled(octt: Conformance) -> int:
    """A TransactionEvent Updated MeterValuePeriodic; where the CSMS's CALLs stood before it."""
    cursor = len(octt.station.received)
    octt.transaction_event("Updated", "MeterValuePeriodic", meter="Sample.Periodic")
    return cursor


@then("the CSMS shows the running cost of the transaction")
def shows_running_cost(octt: Conformance, cost_cursor: int) -> None:
    """TC_I_01 step 9: no totalCost in the answer → a CostUpdated naming this transaction."""
    answer = octt.answer(Action.TransactionEvent).require()
    if "totalCost" in answer:
        return
    call = octt.run(octt.station.expect_call(Action.CostUpdated, octt.call_timeout, after=cost_cursor))
    octt.csms_call = call
    assert call.payload.get("transactionId") == octt.transaction_id, (
        f"CostUpdated for transaction {call.payload.get('transactionId')!r}; "
        f"the running one is {octt.transaction_id!r}"
    )
    assert isinstance(call.payload.get("totalCost"), int | float), f"CostUpdated: {call.payload}"


@then("the CSMS answers the Ended TransactionEvent with its totalCost")
def answers_total_cost(octt: Conformance) -> None:
    """TC_I_02: the final TransactionEventResponse's totalCost must not be omitted (I03.FR.02)."""
    answer = octt.answer(Action.TransactionEvent).require()
    total = answer.get("totalCost")
    assert isinstance(total, int | float), (
        f"the answer to the Ended TransactionEvent has no totalCost: {answer}"
    )
    assert total >= 0, f"totalCost {total} is negative"
