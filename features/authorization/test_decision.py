"""Binds decision.feature; besides the shared steps, the identification types and expiry dates."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from evharness.ocppj.timefmt import parse_timestamp
from features.authorization.scene import Scene, eventually
from features.onboarding.conftest import World
from features.roles.conftest import ok

scenarios("decision.feature")


@when(parsers.parse("Fred sets the station's identification types to {types}"))
def fred_sets_types(world: World, scene: Scene, types: str) -> None:
    body = {"identification_types": [t.strip() for t in types.split(",")]}
    ok(world, "PATCH", f"/api/stations/{scene.charger.identity}/settings", "Fred", body)


@then(parsers.parse('the answer to the station\'s {action} carried the expiry date Eve set for "{code}"'))
def answer_carried_expiry(scene: Scene, action: str, code: str) -> None:
    (*_, last) = scene.charger.wire.exchanges("station", action)
    response = last.response or {}
    info = response.get("idTagInfo") or response.get("idTokenInfo") or {}
    expiry = info.get("expiryDate") or info.get("cacheExpiryDateTime")
    assert expiry is not None, f"no expiry in {response}"
    assert parse_timestamp(expiry) == scene.charger.users.expiries[code], expiry


@then(parsers.parse('the station\'s local list holds "{code}" until the expiry date Eve set'))
def list_holds_until(scene: Scene, code: str) -> None:
    local_list = scene.charger.live.station.local_list
    eventually(lambda: code in local_list.entries, f"{code} in the station's local list")
    wanted = scene.charger.users.expiries[code].timestamp()
    assert local_list.entries[code].expires_at == wanted, local_list.entries[code]
