"""Every console endpoint checks who is calling, except the few a stranger must reach.

Read from the OpenAPI document: an operation that depends on the session declares the bearer scheme,
so a new router that forgets the caller fails here.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import httpx

from evharness.reference_backend.api import create_app
from evharness.reference_backend.api.state import ApiState
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.console.context import Console
from evharness.reference_backend.console.mail import OutboxMailer
from evharness.reference_backend.console.station_access import Stations
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.console import ConsoleStore
from evharness.reference_backend.persistence.station_access import StationStore
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.portal import BackgroundLoop

PUBLIC = {
    "GET /api/health",
    # stations upload logs and download firmware without a console session (the `location` of the CALL)
    "PUT /api/files/logs/{identity}/{filename}",
    "POST /api/files/logs/{identity}/{filename}",
    "GET /api/files/firmware/{name}",
    "POST /api/accounts",
    "POST /api/accounts/confirmation",
    "POST /api/accounts/confirm",
    "GET /api/links/confirm",
    "POST /api/session",
    "POST /api/accounts/password-reset",
    "GET /api/links/reset",
    "POST /api/accounts/password-reset/complete",
    "GET /api/onboarding/settings",
    "POST /api/registrations",
    "GET /api/links/register",
    "GET /api/links/handover",
    "POST /api/handover/sign-up",
    "POST /api/registrations/complete",
    "GET /api/agreements",
    "GET /api/sso/login",
    "GET /api/sso/callback",
    "POST /api/sso/registrations",
}


def api_state(tmp_path: Path) -> ApiState:
    store = Store.from_url(f"sqlite:///{tmp_path / 'api.sqlite3'}")
    store.create_schema()
    console = Console(ConsoleStore(store.engine), OutboxMailer(tmp_path / "outbox", "x@example.com"))
    return ApiState(console, Stations(console, StationStore(store.engine)), store)


def test_every_operation_but_the_public_ones_needs_a_session(tmp_path: Path) -> None:
    spec = create_app(api_state(tmp_path)).openapi()
    operations = {
        f"{method.upper()} {path}": operation
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    }
    assert set(operations) >= PUBLIC
    for name, operation in operations.items():
        secured = any("HTTPBearer" in requirement for requirement in operation.get("security", []))
        assert secured == (name not in PUBLIC), name


def test_a_protected_operation_refuses_a_missing_or_made_up_token(tmp_path: Path) -> None:
    settings = BackendSettings(
        ocpp_port=0, api_port=0, database_url=f"sqlite:///{tmp_path / 'b.sqlite3'}", log_level="warning"
    )
    with BackgroundLoop("api-security") as loop:
        backend = BackendServer(settings)
        loop.run(backend.start())
        try:
            with httpx.Client(base_url=backend.api_url) as client:
                missing = client.get("me")
                made_up = client.get("companies", headers={"Authorization": "Bearer made-up"})
        finally:
            loop.run(backend.stop())
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "log in first" in missing.json()["detail"]
    assert made_up.status_code == 401
    assert "not logged in" in made_up.json()["detail"]


def _logins_from(forwarded_allow_ips: str | None, tmp_path: Path) -> list[int]:
    """Statuses of 6 logins, each claiming another X-Forwarded-For, with a limit of 3 per client."""
    settings = BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=f"sqlite:///{tmp_path / 'fwd.sqlite3'}",
        log_level="warning",
        login_limit_client=3,
        forwarded_allow_ips=forwarded_allow_ips,
    )
    with BackgroundLoop("api-forwarded") as loop:
        backend = BackendServer(settings)
        loop.run(backend.start())
        try:
            with httpx.Client(base_url=backend.api_url) as client:
                return [
                    client.post(
                        "session",
                        json={"email": f"nobody{n}@example.com", "password": "Wrong-password-1"},
                        headers={"X-Forwarded-For": f"203.0.113.{n}"},
                    ).status_code
                    for n in range(6)
                ]
        finally:
            loop.run(backend.stop())


def test_a_forwarded_for_header_does_not_escape_the_client_limit(tmp_path: Path) -> None:
    assert _logins_from(None, tmp_path) == [401, 401, 401, 429, 429, 429]


def test_a_configured_proxy_names_the_client(tmp_path: Path) -> None:
    assert _logins_from("127.0.0.1", tmp_path) == [401] * 6


def test_the_api_and_its_docs_answer_with_security_headers(tmp_path: Path) -> None:
    settings = BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=f"sqlite:///{tmp_path / 'h.sqlite3'}",
        log_level="warning",
        forwarded_allow_ips="127.0.0.1",  # a TLS-terminating proxy on this machine
    )
    paths = ("health", "me", "openapi.json", "docs", "metrics")
    with BackgroundLoop("api-headers") as loop:
        backend = BackendServer(settings)
        loop.run(backend.start())
        try:
            with httpx.Client(base_url=backend.api_url) as client:
                answers = {path: client.get(path) for path in paths}
                secure = client.get("health", headers={"X-Forwarded-Proto": "https"})
        finally:
            loop.run(backend.stop())
    for path, answer in answers.items():
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["referrer-policy"] == "no-referrer", path
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], path
        assert "strict-transport-security" not in answer.headers, path
    assert (
        answers["health"].headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    )
    docs = answers["docs"]
    assert docs.status_code == 200
    policy = docs.headers["content-security-policy"]
    (inline,) = re.findall(r"<script>(.*?)</script>", docs.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy  # the page's one inline script, and no other, may run
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert secure.headers["strict-transport-security"].startswith("max-age=")


def test_the_api_docs_work_offline(tmp_path: Path) -> None:
    """Issue 18: /api/docs loads the Swagger UI from the backend itself, never from a CDN."""
    settings = BackendSettings(
        ocpp_port=0, api_port=0, database_url=f"sqlite:///{tmp_path / 'd.sqlite3'}", log_level="warning"
    )
    with BackgroundLoop("api-docs") as loop:
        backend = BackendServer(settings)
        loop.run(backend.start())
        try:
            with httpx.Client(base_url=backend.api_url) as client:
                page = client.get("docs")
                assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
                origin = backend.api_url.removesuffix("/api/")  # the page's URLs are absolute paths
                fetched = {url: client.get(origin + url).status_code for url in assets}
        finally:
            loop.run(backend.stop())
    assert page.status_code == 200
    assert assets, page.text
    assert not [url for url in assets if "://" in url], assets
    assert set(fetched.values()) == {200}, fetched
    assert "https:" not in page.headers["content-security-policy"]
