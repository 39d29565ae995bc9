"""Binds companies.feature."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from features.onboarding.conftest import World, company_id

scenarios("companies.feature")


@when(parsers.parse('{name} asks for access to "{company}"'))
def asks_access(world: World, name: str, company: str) -> None:
    answer = world.call("POST", f"/api/companies/{company_id(world, company)}/access-requests", name)
    if answer.status_code == 201:
        world.values[f"request:{name}"] = answer.json()["id"]


@when(parsers.parse("{admin} {decision}s {name}'s request"))
def decides_request(world: World, admin: str, decision: str, name: str) -> None:
    world.mark_mail(name)
    world.call("POST", f"/api/access-requests/{world.values[f'request:{name}']}/{decision}", admin)


def _members(world: World, company: str) -> dict[str, str]:
    with world.backend.console.store.begin() as tx:
        return {m.email: m.role for m in tx.members(company_id(world, company))}


@then(parsers.parse('{name} is the only member of "{company}", as admin'))
def only_member(world: World, name: str, company: str) -> None:
    members = world.body()
    assert [(m["email"], m["role"]) for m in members] == [(world.person(name).email, "admin")]


@then(parsers.parse('{name} is a member of "{company}"'))
def is_member(world: World, name: str, company: str) -> None:
    assert _members(world, company).get(world.person(name).email) == "member"


@then(parsers.parse('{name} is not a member of "{company}"'))
def is_not_member(world: World, name: str, company: str) -> None:
    assert world.person(name).email not in _members(world, company)


@when(parsers.parse('{name} applies for a company "{company}" of type {kind}'))
def applies(world: World, name: str, company: str, kind: str) -> None:
    body = {"name": company, "type": kind, "country": "no", "address": "Storgata 1, Oslo"}
    answer = world.call("POST", "/api/company-applications", name, body)
    if answer.status_code == 201:
        world.values[f"application:{name}"] = answer.json()["id"]


@when(parsers.re(r'(?P<name>\w+) applies with (?P<field>\w+) "(?P<value>.*)"'))
def applies_with(world: World, name: str, field: str, value: str) -> None:
    body = {"name": "Volt Partners", "type": "installer", "country": "NO", field: value}
    world.call("POST", "/api/company-applications", name, body)


@when(parsers.parse("{admin} {decision}s {name}'s application"))
def decides_application(world: World, admin: str, decision: str, name: str) -> None:
    world.mark_mail(name)
    world.call("POST", f"/api/company-applications/{world.values[f'application:{name}']}/{decision}", admin)


@then(parsers.parse('{name} is admin of the new company "{company}"'))
def admin_of_new(world: World, name: str, company: str) -> None:
    me = world.call("GET", "/api/me", name).json()
    assert [(c["company"]["name"], c["company"]["country"], c["role"]) for c in me["companies"]] == [
        (company, "NO", "admin")
    ]


@then(parsers.parse("{name} belongs to no company"))
def no_company(world: World, name: str) -> None:
    assert world.call("GET", "/api/me", name).json()["companies"] == []


@when(parsers.parse('{admin} makes {name} {role} of "{company}"'))
def makes_role(world: World, admin: str, name: str, role: str, company: str) -> None:
    user_id = _user_id(world, name)
    world.call("PUT", f"/api/companies/{company_id(world, company)}/members/{user_id}", admin, {"role": role})


@when(parsers.parse('{admin} removes {name} from "{company}"'))
def removes(world: World, admin: str, name: str, company: str) -> None:
    world.call(
        "DELETE", f"/api/companies/{company_id(world, company)}/members/{_user_id(world, name)}", admin
    )


def _user_id(world: World, name: str) -> int:
    with world.backend.console.store.begin() as tx:
        user = tx.user_by_email(world.person(name).email)
    assert user is not None
    return user.id
