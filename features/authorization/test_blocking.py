"""Binds blocking.feature."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from evharness.ocppj.timefmt import format_timestamp
from features.authorization.scene import Scene
from features.onboarding.conftest import World
from simulator.asyncio.live import LiveStation
from simulator.protocol.v201 import id_token

scenarios("blocking.feature")

PERIODIC = {"TransactionEvent": "MeterValuePeriodic"}  # the triggerReason of a 2.0.1 periodic event


@then(parsers.parse("no answer to the station's {what} carried a token status"))
def no_token_status(scene: Scene, what: str) -> None:
    action = what.removeprefix("periodic ")
    exchanges = scene.charger.wire.exchanges("station", action)
    if action in PERIODIC and what.startswith("periodic"):
        exchanges = [e for e in exchanges if e.request.get("triggerReason") == PERIODIC[action]]
    assert exchanges, f"the station sent no {what}"
    assert [e.token_status() for e in exchanges] == [None] * len(exchanges), exchanges


async def _report_token(live: LiveStation) -> None:
    """What a 2.0.1 station sends when the transaction's token is presented again: an Updated event
    (triggerReason Authorized) with the token; the simulator sends the token only when it starts."""
    transaction = live.transaction()
    assert transaction is not None, "no transaction running"
    assert transaction.token is not None, "the transaction has no token"
    now = live.clock.now()
    payload = {
        "eventType": "Updated",
        "timestamp": format_timestamp(now),
        "triggerReason": "Authorized",
        "seqNo": transaction.next_seq_no(),
        "transactionInfo": {"transactionId": transaction.local_id, "chargingState": "Charging"},
        "idToken": id_token(transaction.token),
    }
    live.station.send("TransactionEvent", payload, now, transactional=True)
    await live.settle()


@when("the station sends a TransactionEvent carrying the driver's token")
def sends_token_event(scene: Scene) -> None:
    scene.run(_report_token(scene.charger.live))


@then(parsers.parse('the transaction with the {kind} "{code}" ended as {reason}'))
def ended_as(world: World, scene: Scene, kind: str, code: str, reason: str) -> None:
    records = world.backend.store.transactions(scene.charger.identity)
    (record,) = [r for r in records if (r.id_token or "").upper() == code.upper()]
    assert record.stop_reason == reason, record
