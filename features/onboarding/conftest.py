"""The onboarding suites' backend, mailbox and shared steps.

Each scenario gets its own reference backend, in-process (`BackendServer` on the session's background
loop, on 127.0.0.1 and free ports) with a throw-away SQLite database, sending email through a real SMTP
server (`mailbox.py`). Steps talk to it over HTTP only; the few that read or age the database say so.
People are named in the features ("Ada"); each scenario gives them fresh addresses.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_bdd import given, parsers, then, when

from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.console import operator
from evharness.reference_backend.console.passwords import Passwords
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.portal import BackgroundLoop
from features.onboarding.mailbox import Mail, Mailbox

PASSWORD = "Corr3ct-horse-battery"
OPERATOR_PASSWORD = "0perator-Secret-pass"


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as box:
        yield box


@pytest.fixture(scope="session")
def onboarding_loop() -> Iterator[BackgroundLoop]:
    with BackgroundLoop("onboarding-backend") as loop:
        yield loop


def start_backend(loop: BackgroundLoop, folder: Path, mailbox: Mailbox, **overrides: Any) -> BackendServer:
    settings = BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=f"sqlite:///{folder / 'console.sqlite3'}",
        log_level="warning",
        smtp_url=mailbox.url,
        login_limit_client=10_000,  # scenarios share 127.0.0.1; one scenario tests this limit alone
        **overrides,
    )
    backend = BackendServer(settings)
    backend.console.passwords = Passwords.cheapest()
    loop.run(backend.start())
    return backend


@pytest.fixture
def backend(onboarding_loop: BackgroundLoop, mailbox: Mailbox, tmp_path: Path) -> Iterator[BackendServer]:
    """A fresh backend and database per scenario: onboarding settings and agreements are global state."""
    started = start_backend(onboarding_loop, tmp_path, mailbox)
    yield started
    onboarding_loop.run(started.stop())


_numbers = itertools.count(1)


@dataclass
class Person:
    name: str
    email: str
    password: str = PASSWORD
    token: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


@dataclass
class World:
    backend: BackendServer
    mailbox: Mailbox
    http: httpx.Client
    people: dict[str, Person] = field(default_factory=dict)
    response: httpx.Response | None = None
    counts_before: dict[str, int] | None = None
    mails_seen: dict[str, int] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def person(self, name: str) -> Person:
        if name not in self.people:
            tag = f"{next(_numbers)}-{uuid.uuid4().hex[:6]}"
            self.people[name] = Person(name, f"{name.lower()}-{tag}@example.com")
        return self.people[name]

    def call(
        self, method: str, path: str, who: str | None = None, body: Any = None, **kw: Any
    ) -> httpx.Response:
        """An API call as `who` (None: anonymous); the response is kept for the Then steps."""
        headers = self.person(who).headers if who else {}
        self.counts_before = self.counts()
        self.response = self.http.request(method, path, headers=headers, json=body, **kw)
        return self.response

    def counts(self) -> dict[str, int]:
        """Rows per console table, read straight from the database (reference backend only)."""
        with self.backend.console.store.begin() as tx:
            counts = tx.row_counts()
        counts.pop("sessions")  # a refused call may still be an authenticated one
        return counts

    def body(self) -> Any:
        assert self.response is not None, "no call made yet"
        return self.response.json()

    def mark_mail(self, name: str) -> None:
        """Only messages arriving after this count for `name` in later steps."""
        self.mails_seen[name] = len(self.mailbox.to(self.person(name).email))

    def mail(self, name: str, subject_part: str) -> Mail:
        return self.mailbox.wait(self.person(name).email, subject_part, after=self.mails_seen.get(name, 0))


@pytest.fixture
def world(backend: BackendServer, mailbox: Mailbox, caplog: pytest.LogCaptureFixture) -> Iterator[World]:
    caplog.set_level(
        logging.INFO, logger="evharness.reference_backend"
    )  # steps may check what the backend logged
    with httpx.Client(base_url=backend.api_url.rstrip("/").removesuffix("/api"), timeout=30) as client:
        yield World(backend, mailbox, client)


# -- people and sessions -----------------------------------------------------------------------


def sign_up(world: World, name: str) -> None:
    person = world.person(name)
    world.mark_mail(name)
    answer = world.call(
        "POST", "/api/accounts", body={"email": person.email, "name": name, "password": PASSWORD}
    )
    assert answer.status_code == 202, answer.text


def confirm(world: World, name: str) -> None:
    link = world.mail(name, "Confirm your").link()
    answer = world.http.get(link)
    assert answer.status_code == 200, answer.text


def log_in(world: World, name: str, password: str | None = None) -> httpx.Response:
    person = world.person(name)
    answer = world.call(
        "POST", "/api/session", body={"email": person.email, "password": password or person.password}
    )
    if answer.status_code == 201:
        person.token = answer.json()["token"]
    return answer


def create_operator(world: World, name: str) -> None:
    world.values["operator"] = name
    person = world.person(name)
    person.password = OPERATOR_PASSWORD
    operator.create_admin(world.backend.console, person.email, name, OPERATOR_PASSWORD)
    assert log_in(world, name).status_code == 201


@given(parsers.parse("{name} has a confirmed account"))
def confirmed_account(world: World, name: str) -> None:
    sign_up(world, name)
    confirm(world, name)


@given(parsers.parse("{name} is logged in"))
def logged_in(world: World, name: str) -> None:
    if name not in world.people:
        confirmed_account(world, name)
    answer = log_in(world, name)
    assert answer.status_code == 201, answer.text


@given(parsers.parse("{name} is a platform operator admin"))
def operator_admin(world: World, name: str) -> None:
    create_operator(world, name)


@given(
    parsers.parse(
        'the operator admin {name} approved a company "{company}" of type {kind} with {admin} as admin'
    )
)
def approved_company(world: World, name: str, company: str, kind: str, admin: str) -> None:
    if name not in world.people:
        create_operator(world, name)
    logged_in(world, admin)
    answer = world.call(
        "POST", "/api/company-applications", admin, {"name": company, "type": kind, "country": "NO"}
    )
    assert answer.status_code == 201, answer.text
    application = answer.json()["id"]
    answer = world.call("POST", f"/api/company-applications/{application}/approve", name)
    assert answer.status_code == 200, answer.text
    world.values[company] = answer.json()["company_id"]


def company_id(world: World, company: str) -> int:
    found: int = world.values[company]
    return found


# -- answers -----------------------------------------------------------------------------------


@then(parsers.parse("the answer is {status:d}"))
def the_answer_is(world: World, status: int) -> None:
    assert world.response is not None
    assert world.response.status_code == status, f"{world.response.status_code}: {world.response.text}"


@then(parsers.parse('the answer is {status:d} naming "{text}"'))
def the_answer_names(world: World, status: int, text: str) -> None:
    the_answer_is(world, status)
    detail = json.dumps(world.body())
    assert text.lower() in detail.lower(), f"{text!r} not in {detail}"


@then(parsers.parse('the answer is {status:d} for the field "{name}"'))
def the_answer_names_field(world: World, status: int, name: str) -> None:
    the_answer_is(world, status)
    body = world.body()
    assert body.get("field") == name, f"field {name!r} not named in {body}"


@then("nothing changed in the database")
def nothing_changed(world: World) -> None:
    assert world.counts_before is not None
    assert world.counts() == world.counts_before


@then(parsers.parse('{name} receives an email "{subject}"'))
def receives_email(world: World, name: str, subject: str) -> None:
    world.values[f"mail:{name}"] = world.mail(name, subject)


@then(parsers.parse("{name} receives no email"))
def receives_no_email(world: World, name: str) -> None:
    time.sleep(0.3)  # the backend sends before it answers; this covers the SMTP server's side
    got = world.mailbox.to(world.person(name).email)[world.mails_seen.get(name, 0) :]
    assert got == [], f"unexpected mail: {[m.subject for m in got]}"


@when(parsers.parse("{name} calls {method} {path}"))
def calls(world: World, name: str, method: str, path: str) -> None:
    world.call(method, _fill(world, path), None if name == "someone" else name)


def _fill(world: World, path: str) -> str:
    """`/api/companies/{Acme}/members` → the id of company Acme."""
    for key, value in world.values.items():
        if isinstance(value, int):
            path = path.replace("{" + key + "}", str(value))
    return path


@when(parsers.parse("{name} logs in"))
def logs_in(world: World, name: str) -> None:
    log_in(world, name)


@then(parsers.parse("{name} can log in"))
def can_log_in(world: World, name: str) -> None:
    answer = log_in(world, name)
    assert answer.status_code == 201, answer.text
