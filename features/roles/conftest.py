"""The roles suites: the onboarding suites' backend, SMTP mailbox and steps, plus a cast of role holders.

The cast (every role on one station, each held by someone else, each acquired the way the seed says):
Pia (partner "Volt Supply") registers the station; Fred (customer "Harbour Parking") owns installation
"Garage"; Ivan (installer "Spark Installers") adds the station to it and becomes its installer by a
first settings edit; Fred hands it over to Eve (EVSE owner) and assigns it to Carl's "Grid CPO".
Stations online are simulated (`LiveStation`) over real websockets on the backend's loop.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from pytest_bdd import given, parsers, then, when

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.domain.onboarding import CompanyDetails
from evharness.reference_backend.persistence.tables import metadata
from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.asyncio.portal import BackgroundLoop
from evharness.simulator.core.station import MAX_CURRENT_VARIABLE
from features.onboarding.conftest import *  # noqa: F403  (backend, world, mailbox and the shared steps)
from features.onboarding.conftest import PASSWORD, World, confirmed_account, log_in, logged_in, operator_admin

CAST = {
    "partner_tech_support": "Pia",
    "facility_owner": "Fred",
    "installer": "Ivan",
    "evse_owner": "Eve",
    "cpo": "Carl",
}
COMPANIES = {  # name → (type, admin)
    "Volt Supply": ("partner", "Pia"),
    "Spark Installers": ("installer", "Ivan"),
    "Harbour Parking": ("customer_business", "Fred"),
    "Grid CPO": ("cpo", "Carl"),
}
CLAIM = "CLAIM-0001"
VERSIONS = {"1.6": OcppVersion.V16, "2.0.1": OcppVersion.V201}


@pytest.fixture
def live(onboarding_loop: BackgroundLoop) -> Iterator[dict[str, LiveStation]]:
    stations: dict[str, LiveStation] = {}
    yield stations
    for station in stations.values():
        onboarding_loop.run(station.close())


def ok(world: World, method: str, path: str, who: str, body: Any = None) -> Any:
    answer = world.call(method, path, who, body)
    assert answer.status_code < 300, f"{method} {path} as {who}: {answer.status_code} {answer.text}"
    return answer.json() if answer.content else None


def a_company(world: World, name: str) -> int:
    """Companies are made in the database directly: this suite is about stations, not onboarding."""
    if name in world.values:
        found: int = world.values[name]
        return found
    kind, admin = COMPANIES[name]
    logged_in(world, admin)
    with world.backend.console.store.begin() as tx:
        company = tx.add_company(
            CompanyDetails(name, "NO", None, None), kind, "active", world.backend.console.now()
        )
        user = tx.user_by_email(world.person(admin).email)
        assert user is not None
        tx.add_membership(user.id, company, "admin", world.backend.console.now())
    world.values[name] = company
    return company


@given(parsers.parse('Pia registered station "{identity}" for "Volt Supply"'))
def registered(world: World, identity: str) -> None:
    partner = a_company(world, "Volt Supply")
    body = {"identity": identity, "claim_code": CLAIM, "partner_company_id": partner}
    ok(world, "POST", "/api/stations", "Pia", body)


@given(parsers.parse('Fred owns installation "{name}"'))
def owns_installation(world: World, name: str) -> None:
    owner = a_company(world, "Harbour Parking")
    world.values[name] = ok(world, "POST", "/api/installations", "Fred", {"company_id": owner, "name": name})[
        "id"
    ]


@given(parsers.parse('{who} added station "{identity}" to installation "{name}"'))
@when(parsers.parse('{who} adds station "{identity}" to installation "{name}"'))
def added(world: World, who: str, identity: str, name: str) -> None:
    if who == "Ivan":
        a_company(world, "Spark Installers")
    body = {"identity": identity, "claim_code": CLAIM}
    ok(world, "POST", f"/api/installations/{world.values[name]}/stations", who, body)


@given(parsers.parse('Fred handed station "{identity}" over to Eve, who signed up through the link'))
def handed_over(world: World, identity: str) -> None:
    world.mark_mail("Eve")
    ok(world, "POST", f"/api/stations/{identity}/handover", "Fred", {"email": world.person("Eve").email})
    link = world.mail("Eve", f"Your charging station {identity}").link()
    opened = world.http.get(link)
    assert opened.status_code == 200, opened.text
    assert opened.json()["email"] == world.person("Eve").email
    token = world.values[f"mail:{identity}"] = link.split("token=", 1)[1]
    body = {"token": token, "name": "Eve", "password": PASSWORD}
    signed_up = world.http.post("/api/handover/sign-up", json=body)
    assert signed_up.status_code == 201, signed_up.text
    assert log_in(world, "Eve").status_code == 201


@given(parsers.parse('Fred assigned station "{identity}" to "Grid CPO"'))
def assigned(world: World, identity: str) -> None:
    cpo = a_company(world, "Grid CPO")
    ok(world, "PUT", f"/api/stations/{identity}/cpo", "Fred", {"company_id": cpo})


@given(parsers.parse('station "{identity}" with every role held'))
def every_role(world: World, identity: str) -> None:
    operator_admin(world, "Olga")
    registered(world, identity)
    owns_installation(world, "Garage")
    added(world, "Ivan", identity, "Garage")
    ok(world, "PATCH", f"/api/stations/{identity}/settings", "Ivan", {"max_current": 16})
    handed_over(world, identity)
    assigned(world, identity)


@given(parsers.parse("{name} is a confirmed user without any company"))
def stranger(world: World, name: str) -> None:
    confirmed_account(world, name)
    logged_in(world, name)


@given(parsers.parse('station "{identity}" is online on OCPP {version}'))
@when(parsers.parse('station "{identity}" connects on OCPP {version}'))
def online(
    world: World, live: dict[str, LiveStation], onboarding_loop: BackgroundLoop, identity: str, version: str
) -> None:
    station = LiveStation(identity, VERSIONS[version], world.backend.ocpp_url)
    live[identity] = station
    onboarding_loop.run(station.connect())
    assert onboarding_loop.run(station.boot()) == "Accepted"


def settings_of(world: World, identity: str, who: str = "Fred") -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in ok(world, "GET", f"/api/stations/{identity}/settings", who)}


@when(parsers.parse('{who} sets {setting} of station "{identity}" to {value}'))
def sets(world: World, who: str, setting: str, identity: str, value: str) -> None:
    world.values["snapshot"] = snapshot(world)
    world.call("PATCH", f"/api/stations/{identity}/settings", who, {setting: json.loads(value)})


def snapshot(world: World) -> dict[str, list[str]]:
    """Every row of every table but the sessions (read straight from the reference backend's database)."""
    with world.backend.store.engine.connect() as conn:
        return {
            name: sorted(map(repr, conn.execute(sa.select(table)).all()))
            for name, table in metadata.tables.items()
            if name != "sessions"
        }


@then("nothing at all changed in the database")
def nothing_at_all_changed(world: World) -> None:
    assert snapshot(world) == world.values["snapshot"]


@then(parsers.parse('the reported {setting} of station "{identity}" becomes {value}'))
def reported_becomes(world: World, setting: str, identity: str, value: str) -> None:
    """The push after a (re)connection runs in the background: wait for it a little."""
    deadline = time.monotonic() + 10
    while True:
        found = settings_of(world, identity)[setting]
        if (found["reported"], found["push_status"]) == (value, "Accepted") or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert (found["reported"], found["push_status"]) == (value, "Accepted"), found


@then(parsers.parse('station "{identity}" holds MaxChargingCurrent {value}'))
def holds(live: dict[str, LiveStation], identity: str, value: str) -> None:
    values = live[identity].station.device.values
    assert values[MAX_CURRENT_VARIABLE] == value, values


@given(parsers.parse('{who} added the RFID card "{uid}" at station "{identity}"'))
@when(parsers.parse('{who} adds the RFID card "{uid}" at station "{identity}"'))
def adds_card(world: World, who: str, uid: str, identity: str) -> None:
    body = {"uid": uid, "first_name": "Card", "last_name": who}
    world.call("POST", f"/api/stations/{identity}/rfid-cards", who, body)


@given(parsers.parse('an EV charged {kwh:g} kWh at station "{identity}" with the card "{uid}"'))
def ev_charged(
    live: dict[str, LiveStation], onboarding_loop: BackgroundLoop, kwh: float, identity: str, uid: str
) -> None:
    station = live[identity]
    onboarding_loop.run(station.plug_in())
    assert onboarding_loop.run(station.present_token(IdType.RFID, uid)) == "Accepted"
    onboarding_loop.run(station.charge(energy_kwh=kwh))
    onboarding_loop.run(station.stop())


@when(parsers.parse('{who} reads the meter values of station "{identity}"'))
def reads_meter_values(world: World, who: str, identity: str) -> None:
    world.call("GET", f"/api/stations/{identity}/meter-values", who)


@then(parsers.parse("the meter values include {measurand}"))
def meter_values_include(world: World, measurand: str) -> None:
    assert any(sample["measurand"] == measurand for sample in world.body()), world.body()


@then(parsers.parse('{who} sees the desired {setting} of station "{identity}" as {value}'))
def sees_desired(world: World, who: str, setting: str, identity: str, value: str) -> None:
    assert settings_of(world, identity, who)[setting]["desired"] == value


@then(parsers.parse('the desired {setting} of station "{identity}" is {value}'))
def desired_is(world: World, setting: str, identity: str, value: str) -> None:
    assert settings_of(world, identity)[setting]["desired"] == value


@then(parsers.parse('{who}\'s roles on station "{identity}" are {roles}'))
def roles_are(world: World, who: str, identity: str, roles: str) -> None:
    got = ok(world, "GET", f"/api/stations/{identity}", who)["your_roles"]
    assert got == sorted(r.strip() for r in roles.split(",")), got


@then(parsers.parse('the push status of {setting} of station "{identity}" is {status}'))
def push_status(world: World, setting: str, identity: str, status: str) -> None:
    found = {s["name"]: s for s in ok(world, "GET", f"/api/stations/{identity}/settings", "Pia")}
    assert found[setting]["push_status"] == status, found[setting]


@when(parsers.parse("{who} calls {method} {path} with {body}"))
def calls_with(world: World, who: str, method: str, path: str, body: str) -> None:
    world.call(method, path, who, json.loads(body))


@then(parsers.parse("the operation answered {status}"))
def operation_answered(world: World, status: str) -> None:
    assert world.body()["status"] == status, world.body()
