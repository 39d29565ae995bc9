"""Binds settings.feature."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then

from features.onboarding.conftest import World
from features.roles.conftest import ok

scenarios("settings.feature")


@then(parsers.parse('the audit trail of station "{identity}" has {article} {kind} {subject}'))
def audit_has(world: World, identity: str, article: str, kind: str, subject: str) -> None:
    entries = ok(world, "GET", f"/api/stations/{identity}/audit", "Pia")
    subject = subject.removeprefix("of ")
    assert any(e["kind"] == kind and e["subject"] == subject for e in entries), entries


@then(parsers.parse("the push of {setting} answered {status}"))
def push_answered(world: World, setting: str, status: str) -> None:
    pushes = {p["name"]: p for p in world.body()}
    assert pushes[setting]["status"] == status, pushes


@then(parsers.parse('the current station "{identity}" reported never exceeded {amps:g} A'))
def current_capped(world: World, identity: str, amps: float) -> None:
    samples = ok(world, "GET", f"/api/stations/{identity}/meter-values", "Eve")
    currents = [s["value"] for s in samples if s["measurand"] == "Current.Import"]
    assert currents, samples
    assert max(currents) <= amps + 1e-6, currents
    assert max(currents) > 0, currents


@then(parsers.parse('station "{identity}" lists reservation {number:d} as {state} for "{token}"'))
def lists_reservation(world: World, identity: str, number: int, state: str, token: str) -> None:
    held = {r["reservation_id"]: r for r in ok(world, "GET", f"/api/stations/{identity}/reservations", "Eve")}
    assert (held[number]["state"], held[number]["id_token"]) == (state, token), held


@then(parsers.parse('station "{identity}" lists the display message "{content}"'))
def lists_display_message(world: World, identity: str, content: str) -> None:
    shown = ok(world, "GET", f"/api/stations/{identity}/display-messages", "Eve")
    assert content in [m["content"] for m in shown], shown
