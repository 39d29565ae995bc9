"""Binds sso.feature: the backend against the OpenID Connect provider of `oidc_provider.py`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc.jwk import RSAKey
from pytest_bdd import given, parsers, scenarios, then, when

from evharness.reference_backend.backend import BackendServer
from evharness.simulator.asyncio.portal import BackgroundLoop
from features.onboarding.conftest import World, start_backend
from features.onboarding.mailbox import Mailbox
from features.onboarding.oidc_provider import Provider
from features.onboarding.registration_steps import *  # noqa: F403  (pytest-bdd finds steps by module globals)
from features.onboarding.registration_steps import PROPERTIES, operator_name

scenarios("sso.feature")


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    started = Provider().start()
    yield started
    started.stop()


@pytest.fixture
def backend(
    onboarding_loop: BackgroundLoop, mailbox: Mailbox, tmp_path: Path, provider: Provider
) -> Iterator[BackendServer]:
    """This module's backend is a relying party of the provider."""
    started = start_backend(
        onboarding_loop,
        tmp_path,
        mailbox,
        oidc_issuer=provider.issuer,
        oidc_client_id=provider.client_id,
        oidc_client_secret=provider.client_secret,
    )
    callback = f"{started.console.public_url}/api/sso/callback"
    provider.redirect_uris.append(callback)
    provider.foreign_key = None
    yield started
    provider.redirect_uris.remove(callback)
    onboarding_loop.run(started.stop())


@given(parsers.re(r"the operator enables SSO customer creation(?P<rest>.*)"))
def enables_sso(world: World, rest: str) -> None:
    settings = {"sso_customer_creation": True, "default_location": "default location" in rest}
    answer = world.call("PUT", "/api/onboarding/settings", operator_name(world), settings)
    assert answer.status_code == 200, answer.text


@given("the identity provider signs ID tokens with a key it does not publish")
def forged(provider: Provider) -> None:
    provider.foreign_key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "alg": "RS256"})


@when(parsers.parse("{name} logs in through the identity provider"))
def logs_in_by_sso(world: World, provider: Provider, name: str) -> None:
    person = world.person(name)
    start = world.http.get("/api/sso/login")
    assert start.status_code == 302, start.text
    authorize = start.headers["location"]
    assert authorize.startswith(f"{provider.issuer}/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"]
    with httpx.Client(timeout=30) as browser:
        page = browser.get(authorize)
        assert page.status_code == 200, page.text
        identity = {"sub": f"sub-{person.email}", "email": person.email, "name": f"{name} Sso"}
        consent = browser.post(authorize, data=identity)
    assert consent.status_code == 302, consent.text
    callback = consent.headers["location"]
    assert callback.startswith(world.backend.console.public_url)
    world.values["callback"] = callback
    world.counts_before = world.counts()
    world.response = world.http.get(callback)
    if world.response.status_code == 200 and world.body()["status"] == "logged_in":
        person.token = world.body()["token"]


@when("the provider's redirect is replayed")
def replayed(world: World) -> None:
    assert world.response is not None
    assert world.response.status_code == 200, world.response.text
    world.response = world.http.get(world.values["callback"])


@then("the backend asks for the missing customer data")
def asks_for_data(world: World) -> None:
    the = world.body()
    assert world.response is not None
    assert world.response.status_code == 200, world.response.text
    assert the["status"] == "registration_required"
    assert the["token"] is None
    assert set(the["required_properties"]) == {"customer_personal", "customer_business"}
    world.values["sso_token"] = the["registration_token"]


@when(parsers.parse("{name} gives the customer data for {kind}"))
def gives_data(world: World, name: str, kind: str) -> None:
    token = world.values.get("sso_token") or world.body()["registration_token"]
    body = {"token": token, "account_type": kind, "properties": PROPERTIES[kind]}
    answer = world.call("POST", "/api/sso/registrations", body=body)
    if answer.status_code == 201:
        world.person(name).token = answer.json()["token"]
        world.values[f"company:{name}"] = answer.json()["me"]["companies"][0]["company"]["id"]


@then(parsers.parse("{name} is logged in by SSO"))
def logged_in_by_sso(world: World, name: str) -> None:
    assert world.response is not None
    assert world.response.status_code == 200, world.response.text
    assert world.body()["status"] == "logged_in"
    me = world.call("GET", "/api/me", name)
    assert me.json()["email"] == world.person(name).email
