"""Binds accounts.feature; shared steps live in conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from evharness.reference_backend.backend import BackendServer
from evharness.simulator.asyncio.portal import BackgroundLoop
from features.onboarding.conftest import PASSWORD, World, log_in, sign_up, start_backend
from features.onboarding.mailbox import Mailbox

scenarios("accounts.feature")


@when(parsers.parse("{name} signs up"))
def signs_up(world: World, name: str) -> None:
    sign_up(world, name)


@when(parsers.parse('{name} signs up with the password "{password}"'))
def signs_up_with_password(world: World, name: str, password: str) -> None:
    person = world.person(name)
    world.mark_mail(name)
    world.call("POST", "/api/accounts", body={"email": person.email, "name": name, "password": password})


@when(parsers.parse('someone signs up with the address "{address}"'))
def signs_up_with_address(world: World, address: str) -> None:
    world.call("POST", "/api/accounts", body={"email": address, "name": "Someone", "password": PASSWORD})


@when(parsers.parse("someone signs up with {name}'s address"))
def signs_up_with_taken_address(world: World, name: str) -> None:
    world.mark_mail(name)
    body = {"email": world.person(name).email.upper(), "name": "Impostor", "password": "An0ther-password"}
    world.call("POST", "/api/accounts", body=body)


@when(parsers.parse("{name} opens the link of that email"))
def opens_link(world: World, name: str) -> None:
    mail = world.values[f"mail:{name}"]
    world.counts_before = world.counts()
    world.response = world.http.get(mail.link())


@when(parsers.parse("{name} opens the confirmation link again"))
@when(parsers.parse("{name} opens the confirmation link"))
def opens_confirmation_link(world: World, name: str) -> None:
    mail = world.mailbox.wait(world.person(name).email, "Confirm your")
    world.response = world.http.get(mail.link())


@when("someone opens a confirmation link with a made-up token")
def opens_made_up_link(world: World) -> None:
    world.response = world.http.get("/api/links/confirm", params={"token": "made-up-token-000000"})


@when(parsers.parse("{name}'s links expire"))
def links_expire(world: World, name: str) -> None:
    from datetime import UTC, datetime, timedelta

    with world.backend.console.store.begin() as tx:
        assert tx.expire_links(world.person(name).email, datetime.now(UTC) - timedelta(seconds=1)) >= 1


@when(parsers.parse("{name} asks for a new confirmation link"))
def asks_new_confirmation(world: World, name: str) -> None:
    world.mark_mail(name)
    world.call("POST", "/api/accounts/confirmation", body={"email": world.person(name).email})


@when(parsers.parse('{name} logs in with the password "{password}"'))
def logs_in_with(world: World, name: str, password: str) -> None:
    log_in(world, name, password)


@when(parsers.parse("someone logs in as {address}"))
def logs_in_as(world: World, address: str) -> None:
    world.call("POST", "/api/session", body={"email": address, "password": "Wr0ng-password!"})


@when(parsers.parse("{name} logs in {count:d} times with a wrong password"))
def logs_in_wrong(world: World, name: str, count: int) -> None:
    for _ in range(count):
        assert log_in(world, name, "Wr0ng-password!").status_code == 401


@then(parsers.parse("{name}'s profile shows her email address"))
def profile_shows(world: World, name: str) -> None:
    answer = world.call("GET", "/api/me", name)
    assert answer.status_code == 200, answer.text
    assert answer.json()["email"] == world.person(name).email
    assert answer.json()["companies"] == []


@pytest.fixture
def strict_backend(
    onboarding_loop: BackgroundLoop, mailbox: Mailbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[BackendServer]]:
    started: list[BackendServer] = []
    yield started
    for backend in started:
        onboarding_loop.run(backend.stop())


@given(parsers.parse("a backend that allows {count:d} login attempts per client and minute"))
def limited_backend(
    world: World,
    strict_backend: list[BackendServer],
    onboarding_loop: BackgroundLoop,
    mailbox: Mailbox,
    tmp_path_factory: pytest.TempPathFactory,
    count: int,
) -> None:
    backend = start_backend(onboarding_loop, tmp_path_factory.mktemp("strict"), mailbox)
    backend.console.client_attempts.limit = count
    strict_backend.append(backend)
    world.values["strict"] = httpx.Client(base_url=backend.api_url, timeout=30)


@when(parsers.parse("a client tries to log in {count:d} times as different people"))
def tries_as_different(world: World, count: int) -> None:
    client: httpx.Client = world.values["strict"]
    for number in range(count):
        answer = client.post(
            "session", json={"email": f"p{number}@example.com", "password": "Wr0ng-password!"}
        )
        assert answer.status_code == 401, answer.text


@when("the same client tries once more")
def tries_once_more(world: World) -> None:
    client: httpx.Client = world.values["strict"]
    world.response = client.post(
        "session", json={"email": "p-last@example.com", "password": "Wr0ng-password!"}
    )
    client.close()


@when(parsers.parse("{name} asks for a password reset"))
def asks_reset(world: World, name: str) -> None:
    world.mark_mail(name)
    world.call("POST", "/api/accounts/password-reset", body={"email": world.person(name).email})


@when(parsers.parse('{name} sets the new password "{password}" with that link'))
@when(parsers.parse('{name} sets the new password "{password}" with the emailed link'))
def sets_new_password(world: World, name: str, password: str) -> None:
    token = world.mail(name, "Reset your").token()
    world.call("POST", "/api/accounts/password-reset/complete", body={"token": token, "password": password})


@then(parsers.parse("{name}'s old session no longer works"))
def old_session_gone(world: World, name: str) -> None:
    assert world.call("GET", "/api/me", name).status_code == 401


@then(parsers.parse('{name} can log in with "{password}"'))
def can_log_in_with(world: World, name: str, password: str) -> None:
    answer = log_in(world, name, password)
    assert answer.status_code == 201, answer.text


@then(parsers.parse("the backend's log shows {name}'s link only masked"))
def log_masks_link(world: World, caplog: pytest.LogCaptureFixture, name: str) -> None:
    token = world.mailbox.wait(world.person(name).email, "Confirm your").token()
    mail_lines = [r.getMessage() for r in caplog.records if r.name == "evharness.reference_backend.mail"]
    assert any(f"token={token[:4]}…" in line for line in mail_lines), mail_lines
    assert token not in caplog.text
