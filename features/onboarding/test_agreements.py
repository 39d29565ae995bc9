"""Binds agreements.feature; registration steps come from registration_steps.py."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from features.onboarding.conftest import World
from features.onboarding.registration_steps import *  # noqa: F403  (pytest-bdd finds steps by module globals)

scenarios("agreements.feature")


@then(parsers.parse('the login lists "{title}" v{version:d} as pending'))
def login_lists_pending(world: World, title: str, version: int) -> None:
    pending = world.body()["me"]["pending_agreements"]
    assert [(a["title"], a["version"]) for a in pending] == [(title, version)]


@when(parsers.parse("{name} accepts the pending agreement"))
def accepts_pending(world: World, name: str) -> None:
    pending = world.call("GET", "/api/me/agreements", name).json()["pending"]
    assert len(pending) == 1, pending
    world.call("POST", f"/api/me/agreements/{pending[0]['id']}/accept", name)


@when(parsers.parse('{name} accepts version {version:d} of "{title}"'))
def accepts_version(world: World, name: str, version: int, title: str) -> None:
    accepted = world.call("GET", "/api/me/agreements", name).json()["accepted"]
    old = next(a for a in accepted if a["version"] == version)
    world.call("POST", f"/api/me/agreements/{old['agreement_id']}/accept", name)


@when(parsers.parse("{name} publishes an agreement for {kind}"))
def publishes(world: World, name: str, kind: str) -> None:
    world.call("POST", "/api/agreements", name, {"company_type": kind, "title": "Mine", "text": "Mine."})
