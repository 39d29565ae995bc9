"""Binds local_list.feature: what the backend sent in its SendLocalList CALLs, read off the wire."""

from __future__ import annotations

import re

from pytest_bdd import parsers, scenarios, then, when

from evharness.idtokens import from_wire_201
from features.authorization.local_users import KINDS
from features.authorization.scene import Scene, eventually
from features.authorization.wire import Exchange
from features.onboarding.conftest import World

scenarios("local_list.feature")

ENTRY = re.compile(r'"([^"]+)" (\w+)')


def _updates(scene: Scene) -> list[Exchange]:
    return scene.charger.wire.exchanges("csms", "SendLocalList")


def _version(update: Exchange) -> int:
    return int(update.request.get("listVersion", update.request.get("versionNumber", 0)))


def _entries(update: Exchange) -> dict[str, str]:
    """code → status, or "removed" for an entry without info (1.6 idTag, 2.0.1 idToken.idToken; a
    KeyCode's digits are the PIN `#` + digits)."""
    found = {}
    for item in update.request.get("localAuthorizationList", []):
        token = item.get("idToken", {})
        code = item["idTag"] if "idTag" in item else from_wire_201(token["idToken"], token["type"])
        info = item.get("idTagInfo") or item.get("idTokenInfo")
        found[code] = "removed" if info is None else info["status"]
    return found


@then(parsers.parse("the backend sent a {kind} update: {changes}"))
def backend_sent(scene: Scene, kind: str, changes: str) -> None:
    expected = dict(ENTRY.findall(changes))
    # the station applies an update before its answer goes out: wait for the answer on the wire
    eventually(lambda: bool(_updates(scene)) and _updates(scene)[-1].response is not None, "an answer")
    last = _updates(scene)[-1]
    assert last.request["updateType"] == kind, last.request
    assert _entries(last) == expected, last.request


@then("the station accepted every update, each with a higher version than the one before")
def every_update_accepted(scene: Scene) -> None:
    updates = _updates(scene)
    assert [u.response for u in updates] == [{"status": "Accepted"}] * len(updates), updates
    versions = [_version(u) for u in updates]
    assert versions == sorted(set(versions)), versions
    assert scene.charger.live.station.local_list.version == versions[-1]


@when(parsers.parse('Eve tries to give {name} the {kind} "{code}"'))
def tries_to_give(world: World, scene: Scene, name: str, kind: str, code: str) -> None:
    users = scene.charger.users
    scene.charger.notes["held"] = dict(scene.charger.live.station.local_list.entries)
    scene.charger.notes["sent"] = len(_updates(scene))
    path = f"{users.base}/{users.users[name]}/identifications"
    world.call("POST", path, users.owner, {"type": KINDS[kind], "code": code})


@then("the station's local list is still the one it had")
def list_unchanged(scene: Scene) -> None:
    assert dict(scene.charger.live.station.local_list.entries) == scene.charger.notes["held"]
    assert len(_updates(scene)) == scene.charger.notes["sent"], _updates(scene)[scene.charger.notes["sent"] :]
