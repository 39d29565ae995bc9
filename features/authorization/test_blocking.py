"""Binds blocking.feature."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then

from features.authorization.scene import Scene
from features.onboarding.conftest import World

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


@then(parsers.parse('the transaction with the {kind} "{code}" ended as {reason}'))
def ended_as(world: World, scene: Scene, kind: str, code: str, reason: str) -> None:
    records = world.backend.store.transactions(scene.charger.identity)
    (record,) = [r for r in records if (r.id_token or "").upper() == code.upper()]
    assert record.stop_reason == reason, record
