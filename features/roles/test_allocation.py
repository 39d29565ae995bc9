"""Binds allocation.feature."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from features.onboarding.conftest import PASSWORD, World, create_operator
from features.roles.conftest import ok

scenarios("allocation.feature")


@then(parsers.parse('station "{identity}" has {article} {role} grant because "{why}"'))
def has_grant(world: World, identity: str, article: str, role: str, why: str) -> None:
    grants = ok(world, "GET", f"/api/stations/{identity}/roles", "Pia")
    assert any(g["role"] == role and why in g["reason"] for g in grants), grants


@then(parsers.parse('the audit trail of station "{identity}" has {setting} from {old} to {new} by {who}'))
def audit_has(world: World, identity: str, setting: str, old: str, new: str, who: str) -> None:
    entries = ok(world, "GET", f"/api/stations/{identity}/audit", "Pia")
    wanted = (setting, None if old == "None" else old, new, world.person(who).email)
    assert any((e["subject"], e["old"], e["new"], e["actor_email"]) == wanted for e in entries), entries


@then(parsers.parse('station "{identity}" accepts only {kind} in the OCPP authorization'))
def accepts_only(world: World, identity: str, kind: str) -> None:
    record = world.backend.store.station(identity)
    assert record is not None
    assert {t.value for t in world.backend.store.lookup_token(record.id, None, "X").enabled_types} == {kind}


@when(parsers.parse('{who} adds station "{identity}" to installation "{name}" with claim code "{code}"'))
def adds_with_code(world: World, who: str, identity: str, name: str, code: str) -> None:
    body = {"identity": identity, "claim_code": code}
    world.call("POST", f"/api/installations/{world.values[name]}/stations", who, body)


@when(parsers.parse('someone signs up again through the handover link of station "{identity}"'))
def signs_up_again(world: World, identity: str) -> None:
    body = {"token": world.values[f"mail:{identity}"], "name": "Mallory", "password": PASSWORD}
    world.call("POST", "/api/handover/sign-up", None, body)


@when(parsers.parse('someone signs up through a handover link with the token "{token}"'))
def signs_up_with(world: World, token: str) -> None:
    world.call("POST", "/api/handover/sign-up", None, {"token": token, "name": "M", "password": PASSWORD})


@then(parsers.parse("{who}'s stations are {identities}"))
def stations_are(world: World, who: str, identities: str) -> None:
    listed = [s["identity"] for s in ok(world, "GET", "/api/stations", who)]
    assert listed == [i.strip() for i in identities.split(",")]


@when(parsers.parse('{who} asks for a claim code of station "{identity}"'))
def asks_for_claim_code(world: World, who: str, identity: str) -> None:
    world.call("POST", f"/api/stations/{identity}/claim-code", who)


@when(parsers.parse('the platform operator issues a claim code for station "{identity}"'))
def operator_issues_claim_code(world: World, identity: str) -> None:
    if "Olga" not in world.people or "operator" not in world.values:
        create_operator(world, "Olga")
    issued = ok(world, "POST", f"/api/stations/{identity}/claim-code", "Olga")
    assert issued["identity"] == identity
    world.values[f"claim:{identity}"] = issued["claim_code"]


@when(parsers.parse('{who} adds station "{identity}" to installation "{name}" with the issued claim code'))
def adds_with_issued_code(world: World, who: str, identity: str, name: str) -> None:
    adds_with_code(world, who, identity, name, world.values[f"claim:{identity}"])
