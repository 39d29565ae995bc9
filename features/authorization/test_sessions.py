"""Binds sessions.feature; besides the shared steps (conftest.py), how the token looked on the wire."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then

from features.authorization.scene import Scene

scenarios("sessions.feature")


@then(parsers.parse("the station's {action} carried the token as {form}"))
def carried_as(scene: Scene, action: str, form: str) -> None:
    """1.6: `idTag "#4711"`; 2.0.1: `KeyCode "4711"` (IdToken type and value: digits, an identifierString)."""
    (*_, last) = scene.charger.wire.exchanges("station", action)
    if "idTag" in last.request:
        seen = f'idTag "{last.request["idTag"]}"'
    else:
        seen = f'{last.request["idToken"]["type"]} "{last.request["idToken"]["idToken"]}"'
    assert seen == form, last.request
