"""Every console endpoint checks who is calling, except the few a stranger must reach.

Read from the OpenAPI document: an operation that depends on the session declares the bearer scheme,
so a new router that forgets the caller fails here.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from reference_backend.api import create_app
from reference_backend.api.state import ApiState
from reference_backend.backend import BackendServer
from reference_backend.console.context import Console
from reference_backend.console.mail import OutboxMailer
from reference_backend.console.station_access import Stations
from reference_backend.persistence import Store
from reference_backend.persistence.console import ConsoleStore
from reference_backend.persistence.station_access import StationStore
from reference_backend.settings import BackendSettings
from simulator.asyncio.portal import BackgroundLoop

PUBLIC = {
    "GET /api/health",
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
