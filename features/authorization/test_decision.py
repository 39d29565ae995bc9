"""Binds decision.feature; the steps are shared (conftest.py)."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, when

from features.authorization.conftest import Scene
from features.onboarding.conftest import World
from features.roles.conftest import ok

scenarios("decision.feature")


@when(parsers.parse("Fred sets the station's identification types to {types}"))
def fred_sets_types(world: World, scene: Scene, types: str) -> None:
    body = {"identification_types": [t.strip() for t in types.split(",")]}
    ok(world, "PATCH", f"/api/stations/{scene.charger.identity}/settings", "Fred", body)
