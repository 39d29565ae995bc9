"""Steps of self-registration, shared by self_registration.feature and agreements.feature."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pytest_bdd import given, parsers, then, when

from features.onboarding.conftest import PASSWORD, World

PROPERTIES: dict[str, dict[str, str]] = {
    "customer_personal": {"country": "NO", "address": "Fjordveien 3, Bergen"},
    "customer_business": {
        "company_name": "Pia's Bakery AS",
        "country": "NO",
        "address": "Torget 1",
        "vat_id": "NO999",
    },
    "channel_partner": {"company_name": "Pia Wholesale", "country": "SE", "address": "Kungsgatan 2"},
    "data_recipient": {"company_name": "Pia Analytics", "country": "DK"},
}


def operator_name(world: World) -> str:
    name: str = world.values["operator"]
    return name


@given(parsers.re(r"the operator enables self-registration for (?P<kind>\w+)(?P<rest>.*)"))
def enables(world: World, kind: str, rest: str) -> None:
    settings: dict[str, Any] = {
        kind: True,
        "default_location": "default location" in rest,
        "channel_partner_without_code": "without code" in rest,
    }
    answer = world.call("PUT", "/api/onboarding/settings", operator_name(world), settings)
    assert answer.status_code == 200, answer.text
    assert answer.json()[kind] is True


@when(parsers.re(r"(?P<name>[A-Z]\w*) enables self-registration for (?P<kind>\w+)"))
def person_enables(world: World, name: str, kind: str) -> None:
    world.call("PUT", "/api/onboarding/settings", name, {kind: True})


@given(parsers.parse('the operator issued the partner code "{code}"'))
def issued_code(world: World, code: str) -> None:
    answer = world.call("POST", "/api/onboarding/partner-codes", operator_name(world), {"code": code})
    assert answer.status_code == 201, answer.text


@given(parsers.parse('the operator published the agreement "{title}" for {kind}'))
def published(world: World, title: str, kind: str) -> None:
    body = {"company_type": kind, "title": title, "text": f"{title}\n\n1. Be nice.\n2. Pay your bills."}
    answer = world.call("POST", "/api/agreements", operator_name(world), body)
    assert answer.status_code == 201, answer.text


@when(parsers.parse("{name} starts a self-registration as {kind}"))
def starts(world: World, name: str, kind: str) -> None:
    world.mark_mail(name)
    world.values[f"kind:{name}"] = kind
    world.call("POST", "/api/registrations", body={"email": world.person(name).email, "account_type": kind})


@when(parsers.parse("{name} opens the registration link"))
def opens_registration_link(world: World, name: str) -> None:
    world.response = world.http.get(world.mail(name, "Complete your").link())
    assert world.response.status_code == 200, world.response.text


@then(parsers.parse("the form asks for {properties}"))
def form_asks(world: World, properties: str) -> None:
    assert world.body()["required_properties"] == [p.strip() for p in properties.split(",")]


def complete(world: World, name: str, *, without: str | None = None, partner_code: str | None = None) -> None:
    kind = world.values[f"kind:{name}"]
    token = world.mail(name, "Complete your").token()
    properties = {k: v for k, v in PROPERTIES[kind].items() if k != without}
    company_type = "partner" if kind == "channel_partner" else kind
    current = world.http.get("/api/agreements", params={"company_type": company_type}).json()
    body: dict[str, Any] = {
        "token": token,
        "name": name,
        "password": PASSWORD,
        "properties": properties,
        "accepted_agreements": [] if without == "accepting the agreements" else [a["id"] for a in current],
    }
    if partner_code and partner_code != "none":
        body["partner_code"] = partner_code
    answer = world.call("POST", "/api/registrations/complete", body=body)
    if answer.status_code == 201 and answer.json().get("token"):
        world.person(name).token = answer.json()["token"]
        world.values[f"company:{name}"] = answer.json()["company"]["id"]
    elif answer.status_code == 201:
        world.values[f"company:{name}"] = answer.json()["company"]["id"]


@when(parsers.parse("{name} completes the registration"))
def completes(world: World, name: str) -> None:
    complete(world, name)


@when(parsers.parse("{name} completes the registration without {field}"))
def completes_without(world: World, name: str, field: str) -> None:
    complete(world, name, without=field)


@when(parsers.parse('{name} registers as {kind} with the partner code "{code}"'))
def registers_with_code(world: World, name: str, kind: str, code: str) -> None:
    starts(world, name, kind)
    complete(world, name, partner_code=code)


@given(parsers.parse("{name} registered as {kind}"))
@when(parsers.parse("{name} registers as {kind}"))
def registers(world: World, name: str, kind: str) -> None:
    starts(world, name, kind)
    complete(world, name)


@when(parsers.parse("{name}'s registration link expires"))
def registration_link_expires(world: World, name: str) -> None:
    with world.backend.console.store.begin() as tx:
        assert tx.expire_links(world.person(name).email, datetime.now(UTC) - timedelta(seconds=1)) == 1


@then(parsers.parse("{name} is admin of a new {kind} company"))
def admin_of_new(world: World, name: str, kind: str) -> None:
    me = world.call("GET", "/api/me", name).json()
    assert [(m["company"]["type"], m["company"]["status"], m["role"]) for m in me["companies"]] == [
        (kind, "active", "admin")
    ]


@then(parsers.parse('the company has one installation named "{location}"'))
def one_installation(world: World, location: str) -> None:
    assert _installations(world) == [location]


@then("the company has no installation")
def no_installation(world: World) -> None:
    assert _installations(world) == []


def _installations(world: World) -> list[str]:
    name = next(n for n in world.people if f"company:{n}" in world.values)
    answer = world.http.get(
        f"/api/companies/{world.values[f'company:{name}']}/installations", headers=world.person(name).headers
    )
    assert answer.status_code == 200, answer.text
    return [i["name"] for i in answer.json()]


@then("the registration is pending approval")
def pending_approval(world: World) -> None:
    body = world.body()
    assert body["status"] == "pending_approval"
    assert body["token"] is None
    assert body["company"]["status"] == "pending"


@when(parsers.parse("{admin} {decision}s {name}'s company"))
def decides_company(world: World, admin: str, decision: str, name: str) -> None:
    world.mark_mail(name)
    world.call("POST", f"/api/companies/{world.values[f'company:{name}']}/{decision}", admin)


@then(parsers.parse('{name}\'s acceptance of "{title}" v{version:d} is recorded'))
def acceptance_recorded(world: World, name: str, title: str, version: int) -> None:
    answer = world.http.get("/api/me/agreements", headers=world.person(name).headers)
    assert answer.status_code == 200, answer.text
    accepted = answer.json()["accepted"]
    mine = [a for a in accepted if a["version"] == version]
    assert len(mine) == 1, accepted
    when_accepted = datetime.fromisoformat(mine[0]["accepted_at"])
    assert abs(datetime.now(UTC) - when_accepted) < timedelta(minutes=1)
    assert answer.json()["pending"] == []


@when(parsers.parse("{name} starts a self-registration as {kind} twice"))
def starts_twice(world: World, name: str, kind: str) -> None:
    starts(world, name, kind)
    first = world.mail(name, "Complete your")
    starts(world, name, kind)
    second = world.mail(name, "Complete your")
    assert first.token() != second.token()
    world.values[f"tokens:{name}"] = [first.token(), second.token()]


@when(parsers.parse("{name} completes both registrations"))
def completes_both(world: World, name: str) -> None:
    answers = []
    for token in world.values[f"tokens:{name}"]:
        body = {
            "token": token,
            "name": name,
            "password": PASSWORD,
            "properties": PROPERTIES["customer_personal"],
        }
        answers.append(world.http.post("/api/registrations/complete", json=body))
    world.values["answers"] = answers


@then(parsers.parse('the first completion is 201 and the second 409 naming "{field}"'))
def first_and_second(world: World, field: str) -> None:
    first, second = world.values["answers"]
    assert first.status_code == 201, first.text
    assert second.status_code == 409, second.text
    assert second.json()["detail"].startswith(f"{field}:"), second.text


@then(parsers.parse("{admin} sees {name}'s company among the registrations waiting for approval"))
def sees_pending(world: World, admin: str, name: str) -> None:
    answer = world.call("GET", "/api/onboarding/pending-companies", admin)
    assert answer.status_code == 200, answer.text
    assert [c["id"] for c in answer.json()] == [world.values[f"company:{name}"]]
